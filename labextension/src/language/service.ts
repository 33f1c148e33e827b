/**
 * `ILanguageService` over the server's language endpoints: the same language
 * servers the file editor talks to through jupyterlab-lsp.
 */
import { ILanguageDiagnostic } from '../client';
import {
  IFileLanguageStatus,
  ILanguageService,
  IScriptForgeClient
} from '../tokens';

export class LanguageService implements ILanguageService {
  constructor(private readonly _client: IScriptForgeClient) {}

  diagnostics(
    text: string,
    interpreter: string | null
  ): Promise<ILanguageDiagnostic[]> {
    return this._client.language.diagnostics(text, interpreter);
  }

  completions(
    text: string,
    offset: number,
    interpreter: string | null
  ): Promise<string[]> {
    return this._client.language.completions(text, offset, interpreter);
  }

  hover(
    text: string,
    offset: number,
    interpreter: string | null
  ): Promise<string | null> {
    return this._client.language.hover(text, offset, interpreter);
  }

  async statusOf(path: string): Promise<IFileLanguageStatus> {
    const found = await this._client.language.servers(path);
    const interpreter = found.interpreter ?? null;
    return {
      interpreter,
      server:
        found.language_servers.find(s => s.interpreter === interpreter) ?? null
    };
  }
}
