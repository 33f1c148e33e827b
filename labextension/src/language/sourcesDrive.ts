/**
 * The `sources:` drive: read-only files outside the server root that a
 * language server pointed to (a definition in the standard library or an
 * installed package of the script's interpreter). jupyterlab-lsp opens a jump
 * target by its contents path; the router names such targets
 * `sources:<interpreter>/<absolute path>`, and this drive serves them from the
 * interpreter's own environment (this machine or its image).
 */
import { PathExt } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { ILanguageClient } from '../client';

/** The drive's name: the part of a path before `:`. */
export const SOURCES_DRIVE = 'sources';

/** The interpreter and file of a path within the drive. */
export function sourceOf(localPath: string): {
  interpreter: string;
  file: string;
} {
  const slash = localPath.indexOf('/');
  return {
    interpreter: decodeURIComponent(localPath.slice(0, slash)),
    file: localPath.slice(slash)
  };
}

export class SourcesDrive implements Contents.IDrive {
  readonly name = SOURCES_DRIVE;

  constructor(
    private readonly _client: ILanguageClient,
    readonly serverSettings: ServerConnection.ISettings,
    private readonly _trans: TranslationBundle
  ) {}

  get fileChanged(): ISignal<this, Contents.IChangedArgs> {
    return this._fileChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (!this._isDisposed) {
      this._isDisposed = true;
      Signal.clearData(this);
    }
  }

  async get(
    localPath: string,
    options?: Contents.IFetchOptions
  ): Promise<Contents.IModel> {
    const source = await this._client.source(localPath);
    const now = new Date().toISOString();
    return {
      name: PathExt.basename(source.file),
      path: localPath,
      type: 'file',
      format: 'text',
      mimetype: 'text/x-python',
      content: options?.content === false ? null : source.content,
      size: source.content.length,
      writable: false,
      created: now,
      last_modified: now
    };
  }

  getDownloadUrl(localPath: string): Promise<string> {
    return this._readOnly(localPath);
  }

  newUntitled(): Promise<Contents.IModel> {
    return this._readOnly('');
  }

  delete(localPath: string): Promise<void> {
    return this._readOnly(localPath);
  }

  rename(oldLocalPath: string): Promise<Contents.IModel> {
    return this._readOnly(oldLocalPath);
  }

  save(localPath: string): Promise<Contents.IModel> {
    return this._readOnly(localPath);
  }

  copy(localPath: string): Promise<Contents.IModel> {
    return this._readOnly(localPath);
  }

  createCheckpoint(localPath: string): Promise<Contents.ICheckpointModel> {
    return this._readOnly(localPath);
  }

  async listCheckpoints(): Promise<Contents.ICheckpointModel[]> {
    return [];
  }

  restoreCheckpoint(localPath: string): Promise<void> {
    return this._readOnly(localPath);
  }

  deleteCheckpoint(localPath: string): Promise<void> {
    return this._readOnly(localPath);
  }

  private _readOnly(localPath: string): Promise<never> {
    return Promise.reject(
      new Error(
        this._trans.__(
          'This is a read-only source file of the interpreter %1.',
          sourceOf(localPath).interpreter
        )
      )
    );
  }

  private _isDisposed = false;
  private readonly _fileChanged = new Signal<this, Contents.IChangedArgs>(this);
}
