// Types for scripts/demo-server.mjs, so TypeScript tests can import the plain-JS server.

export interface DemoRequest {
  /** Which origin answered: the pages (127.0.0.1) or the images (localhost). */
  origin: 'page' | 'image';
  method: string;
  /** Path and query as requested, e.g. "/photo-owl.jpg" or "/slow/photo-owl.jpg?ms=500". */
  url: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** The page's own image load (Sec-Fetch-Dest: image), not Megane's checker. */
  byPage: boolean;
}

export interface DemoServer {
  /**
   * e.g. "http://127.0.0.1:8180": demo pages, /local/<gallery file>, /to-images/<file> (a redirect to
   * the image origin) and, as on the image origin, /changing/<first>/<then>/<name> (<first> to a URL's
   * first request, <then> to every later one).
   */
  pageOrigin: string;
  /** e.g. "http://localhost:8181": gallery images, /garbage.jpg, /slow/<file>?ms=N, /never.jpg, /cors/<file>, /changing/… (with CORS). */
  imageOrigin: string;
  /** Every request both origins received, oldest first. */
  requests: DemoRequest[];
  /** Stops both origins now, dropping hanging /never.jpg and /slow/ requests. */
  close(): Promise<void>;
}

export function startDemoServer(options?: { pagePort?: number; imagePort?: number }): Promise<DemoServer>;
