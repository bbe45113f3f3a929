// The part of addons-linter's API the Firefox test uses (the package ships no types).
declare module 'addons-linter' {
  interface Message {
    code: string;
    message: string;
    file: string;
  }
  interface Result {
    errors: Message[];
    warnings: Message[];
    notices: Message[];
  }
  const linter: {
    createInstance(options: { config: Record<string, unknown>; runAsBinary: boolean }): { run(): Promise<Result> };
  };
  export default linter;
}
