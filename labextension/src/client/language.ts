/**
 * `language-servers` and `language/*`: each interpreter's language server,
 * what it says about a text (diagnostics, completions, hover), and the source
 * files outside the root it pointed to.
 */
import { ApiConnection } from './request';

/** An interpreter's language server, as the server reports it. */
export interface ILanguageServerStatus {
  interpreter: string;
  state: 'stopped' | 'starting' | 'ready' | 'failed';
  /** Why it failed or stopped. */
  reason: string | null;
  /** `pid N` or `container ID`, while it runs. */
  where: string | null;
  memory_bytes: number | null;
  idle_seconds: number;
  documents: number;
}

/** What a language server found in a text: lines 1-based, columns 0-based. */
export interface ILanguageDiagnostic {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  source: string;
}

/** A file outside the root that a language server pointed to, read-only. */
export interface ISourceFile {
  /** `sources:<interpreter>/<absolute path>`: its path in the editor. */
  path: string;
  interpreter: string;
  /** Where it is, on this machine or in the interpreter's image. */
  file: string;
  content: string;
}

export interface ILanguageClient {
  /**
   * The language servers; with `path` (a file relative to the server root),
   * also the interpreter whose server serves that file (null: none does).
   */
  servers(path?: string): Promise<{
    language_servers: ILanguageServerStatus[];
    interpreter?: string | null;
  }>;
  /** Diagnostics of `content` on `interpreter` (the server's default if omitted). */
  diagnostics(
    content: string,
    interpreter?: string | null
  ): Promise<ILanguageDiagnostic[]>;
  /** Completion labels at `offset` of `content`. */
  completions(
    content: string,
    offset: number,
    interpreter?: string | null
  ): Promise<string[]>;
  /** Hover text (markdown) at `offset`, or null. */
  hover(
    content: string,
    offset: number,
    interpreter?: string | null
  ): Promise<string | null>;
  /**
   * A file a language server pointed to: `path` is `<interpreter>/<absolute
   * path>`, its path within the `sources:` drive.
   */
  source(path: string): Promise<ISourceFile>;
}

export class LanguageClient implements ILanguageClient {
  constructor(private readonly _api: ApiConnection) {}

  servers(path?: string): Promise<{
    language_servers: ILanguageServerStatus[];
    interpreter?: string | null;
  }> {
    const query =
      path === undefined ? '' : `?${new URLSearchParams({ path }).toString()}`;
    return this._api.request(`language-servers${query}`);
  }

  async diagnostics(
    content: string,
    interpreter?: string | null
  ): Promise<ILanguageDiagnostic[]> {
    const answer = await this._api.post<{ diagnostics: ILanguageDiagnostic[] }>(
      'language/diagnostics',
      withInterpreter({ content }, interpreter)
    );
    return answer.diagnostics;
  }

  async completions(
    content: string,
    offset: number,
    interpreter?: string | null
  ): Promise<string[]> {
    const answer = await this._api.post<{ items: string[] }>(
      'language/completions',
      withInterpreter({ content, offset }, interpreter)
    );
    return answer.items;
  }

  async hover(
    content: string,
    offset: number,
    interpreter?: string | null
  ): Promise<string | null> {
    const answer = await this._api.post<{ contents: string | null }>(
      'language/hover',
      withInterpreter({ content, offset }, interpreter)
    );
    return answer.contents;
  }

  source(path: string): Promise<ISourceFile> {
    const query = new URLSearchParams({ path }).toString();
    return this._api.request(`language/source?${query}`);
  }
}

function withInterpreter<T extends object>(
  body: T,
  interpreter?: string | null
): T & { interpreter?: string } {
  return interpreter ? { ...body, interpreter } : body;
}
