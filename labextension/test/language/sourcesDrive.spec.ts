import { describe, expect, it } from 'vitest';

import { ScriptForgeClient } from '../../src/client';
import { SourcesDrive, sourceOf } from '../../src/language/sourcesDrive';
import { answering, trans } from '../helpers';

const FILE = '/usr/lib/python3.11/json/__init__.py';

/** The drive over a server that serves one source file, and what it was asked. */
function driveOf(): { drive: SourcesDrive; urls: string[] } {
  const { settings, requests } = answering({
    path: `sources:cpython-3.11${FILE}`,
    interpreter: 'cpython-3.11',
    file: FILE,
    content: 'def dumps(obj):\n    ...\n'
  });
  const client = new ScriptForgeClient(settings);
  return {
    drive: new SourcesDrive(client.language, settings, trans),
    urls: requests
  };
}

describe('the sources drive', () => {
  it('serves a file a language server pointed to, read-only', async () => {
    const { drive, urls } = driveOf();
    const model = await drive.get(`cpython-3.11${FILE}`);

    expect(decodeURIComponent(urls[0])).toContain(
      `GET http://localhost:8888/scriptforge/api/language/source?path=cpython-3.11${FILE}`
    );
    expect(model).toMatchObject({
      name: '__init__.py',
      path: `cpython-3.11${FILE}`,
      type: 'file',
      format: 'text',
      writable: false,
      content: 'def dumps(obj):\n    ...\n'
    });
  });

  it('refuses every change, saying whose file it is', async () => {
    const { drive, urls } = driveOf();
    const path = `cpython-3.11${FILE}`;
    const message = /read-only source file of the interpreter cpython-3\.11/;
    await expect(drive.save(path)).rejects.toThrow(message);
    await expect(drive.delete(path)).rejects.toThrow(message);
    await expect(drive.rename(path)).rejects.toThrow(message);
    expect(urls).toEqual([]);
  });

  it('reads the interpreter and file out of a path', () => {
    expect(sourceOf(`pypy%203.9${FILE}`)).toEqual({
      interpreter: 'pypy 3.9',
      file: FILE
    });
  });
});
