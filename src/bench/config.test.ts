import { describe, expect, it } from 'vitest';
import { imageUrl, parseBenchConfig } from './config';

describe('parseBenchConfig', () => {
  const good = 'backend=wasm&models=mobilenet_v2_mid,inception_v3&images=http://localhost:8181&files=a.jpg,b.png&agreement=1';

  it('reads every parameter', () => {
    const config = parseBenchConfig(`?${good}`);
    expect(config).toEqual({
      backend: 'wasm',
      models: ['mobilenet_v2_mid', 'inception_v3'],
      imageOrigin: 'http://localhost:8181',
      files: ['a.jpg', 'b.png'],
      agreement: true,
    });
    expect(imageUrl(config, 'a b.jpg')).toBe('http://localhost:8181/a%20b.jpg');
  });

  it.each([
    ['backend=tpu', /backend/],
    ['models=resnet', /models/],
    ['images=localhost:8181', /images/],
    ['files=', /files/],
  ])('rejects %s', (change, message) => {
    const [key] = change.split('=');
    const params = new URLSearchParams(good);
    params.set(key ?? '', change.slice((key ?? '').length + 1));
    expect(() => parseBenchConfig(params.toString())).toThrow(message);
  });
});
