import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src/errors';
import {
  buildGoTool,
  cachedToolPath,
  findGoTool,
  findOnPath,
  type GoToolSpec,
} from '../../../src/infra/tools/go-tool';

const spec: GoToolSpec = {
  name: 'fake-tool',
  goPackage: 'example.com/fake-tool',
  version: 'v1.2.3',
  pathVariable: 'FAKE_TOOL_PATH',
};

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('finding a Go-built tool', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'go-tool-'));
  });

  it('uses the explicit path first', () => {
    const explicit = executable(join(root, 'explicit'), 'fake-tool');
    executable(join(root, 'cache', 'bin', 'fake-tool-v1.2.3'), 'fake-tool');
    expect(findGoTool({ spec, explicitPath: explicit, cacheDir: join(root, 'cache') })).toBe(explicit);
  });

  it('refuses an explicit path that is not an executable, naming the variable', () => {
    const notExecutable = join(root, 'plain-file');
    writeFileSync(notExecutable, 'not a program');
    let error: unknown;
    try {
      findGoTool({ spec, explicitPath: notExecutable, cacheDir: root });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).field).toBe('FAKE_TOOL_PATH');
    expect((error as AppError).message).toContain('FAKE_TOOL_PATH');
  });

  it('prefers the pinned build in the cache over whatever is on PATH', () => {
    const cached = executable(join(root, 'cache', 'bin', 'fake-tool-v1.2.3'), 'fake-tool');
    expect(cachedToolPath(spec, join(root, 'cache'))).toBe(cached);
    expect(findGoTool({ spec, cacheDir: join(root, 'cache') })).toBe(cached);
  });

  it('falls back to PATH, and finds nothing when it is nowhere', () => {
    const onPath = executable(join(root, 'bin'), 'fake-tool');
    const previous = process.env.PATH;
    try {
      process.env.PATH = `${join(root, 'empty')}:${join(root, 'bin')}`;
      expect(findOnPath('fake-tool')).toBe(onPath);
      expect(findGoTool({ spec, cacheDir: join(root, 'cache') })).toBe(onPath);
      process.env.PATH = join(root, 'empty');
      expect(findGoTool({ spec, cacheDir: join(root, 'cache') })).toBeUndefined();
    } finally {
      process.env.PATH = previous;
    }
  });

  it('says what to install when the tool is missing and Go is not installed', async () => {
    const previous = process.env.PATH;
    try {
      process.env.PATH = join(root, 'empty');
      await expect(
        buildGoTool({ spec, cacheDir: join(root, 'cache'), log: () => undefined }),
      ).rejects.toThrow(/Go is not installed.*FAKE_TOOL_PATH.*go install example\.com\/fake-tool@v1\.2\.3/s);
    } finally {
      process.env.PATH = previous;
    }
  });

  it('reports the go command failing, with its output', async () => {
    const fakeGo = executable(join(root, 'gobin'), 'go');
    writeFileSync(
      fakeGo,
      '#!/bin/sh\necho "go: example.com/fake-tool@v1.2.3: module lookup disabled" >&2\nexit 1\n',
    );
    const previous = process.env.PATH;
    try {
      process.env.PATH = join(root, 'gobin');
      await expect(
        buildGoTool({ spec, cacheDir: join(root, 'cache'), log: () => undefined }),
      ).rejects.toThrow(/exited with code 1:[\s\S]*module lookup disabled/);
    } finally {
      process.env.PATH = previous;
    }
  });
});
