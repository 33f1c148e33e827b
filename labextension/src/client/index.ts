/**
 * The typed client of the ScriptForge REST API: one client per resource, each
 * behind its interface, composed into `IScriptForgeClient`.
 *
 * Plugins get the client from the `IScriptForgeClient` token (tokens.ts), never
 * from a module: another server (a team's base URL) is `new
 * ScriptForgeClient(ServerConnection.makeSettings({ baseUrl }))`, and a test
 * double is any object with the resources a test needs.
 */
import { ServerConnection } from '@jupyterlab/services';

import { ArtifactsClient, IArtifactsClient } from './artifacts';
import { AssistantClient, IAssistantClient } from './assistant';
import { GroupsClient, IGroupsClient } from './groups';
import { GuardrailsClient, IGuardrailsClient } from './guardrails';
import { HealthClient, IHealthClient } from './health';
import { IInterpretersClient, InterpretersClient } from './interpreters';
import { ILanguageClient, LanguageClient } from './language';
import { ApiConnection } from './request';
import { IRunsClient, RunsClient } from './runs';
import { ISchedulesClient, SchedulesClient } from './schedules';
import { IScriptsClient, ScriptsClient } from './scripts';
import { IUsersClient, UsersClient } from './users';
import { IVersionsClient, VersionsClient } from './versions';

export * from './artifacts';
export * from './assistant';
export * from './dependencies';
export * from './errors';
export * from './groups';
export * from './guardrails';
export * from './health';
export * from './interpreters';
export * from './language';
export * from './parameters';
export { API_NAMESPACE, ApiConnection, requestAPI } from './request';
export * from './rights';
export * from './runs';
export * from './schedules';
export * from './scripts';
export * from './users';
export * from './versions';

/** The ScriptForge REST API, resource by resource. */
export interface IScriptForgeClient {
  /** `GET health`. */
  readonly health: IHealthClient;
  /** `GET me`. */
  readonly users: IUsersClient;
  /** `interpreters`. */
  readonly interpreters: IInterpretersClient;
  /** `scripts`, `folders`, `tags`. */
  readonly scripts: IScriptsClient;
  /** `scripts/{id}/versions`, `versions`, restore, publish, labels. */
  readonly versions: IVersionsClient;
  /** `runs`, their output and events. */
  readonly runs: IRunsClient;
  /** `runs/{id}/artifacts`, the files runs kept. */
  readonly artifacts: IArtifactsClient;
  /** `groups`. */
  readonly groups: IGroupsClient;
  /** `schedules`. */
  readonly schedules: ISchedulesClient;
  /** `assistant/*`. */
  readonly assistant: IAssistantClient;
  /** `analyze`, `analyze/override`. */
  readonly guardrails: IGuardrailsClient;
  /** `language-servers`, `language/*`. */
  readonly language: ILanguageClient;
}

/** The client of one server: every resource over one connection. */
export class ScriptForgeClient implements IScriptForgeClient {
  /** @param settings - the server's settings, the page's own server if omitted */
  constructor(
    settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {
    const api = new ApiConnection(settings);
    this.health = new HealthClient(api);
    this.users = new UsersClient(api);
    this.interpreters = new InterpretersClient(api);
    this.scripts = new ScriptsClient(api);
    this.versions = new VersionsClient(api);
    this.runs = new RunsClient(api);
    this.artifacts = new ArtifactsClient(api);
    this.groups = new GroupsClient(api);
    this.schedules = new SchedulesClient(api);
    this.assistant = new AssistantClient(api);
    this.guardrails = new GuardrailsClient(api);
    this.language = new LanguageClient(api);
  }

  readonly health: IHealthClient;
  readonly users: IUsersClient;
  readonly interpreters: IInterpretersClient;
  readonly scripts: IScriptsClient;
  readonly versions: IVersionsClient;
  readonly runs: IRunsClient;
  readonly artifacts: IArtifactsClient;
  readonly groups: IGroupsClient;
  readonly schedules: ISchedulesClient;
  readonly assistant: IAssistantClient;
  readonly guardrails: IGuardrailsClient;
  readonly language: ILanguageClient;
}
