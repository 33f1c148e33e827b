/**
 * The files a finished run kept from its output folder, each a download.
 * Shown under the run's summary when it kept any; fetched once it has ended.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  downloadIcon,
  fileIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IArtifact, IRun, IScriptForgeClient } from '../client';
import { tryOrShowError } from '../ui/errors';
import { ErrorNote, LoadingNote } from '../ui/notes';
import { useFetched } from '../ui/useFetched';
import { formatBytes } from './format';

export interface IRunArtifactsProps {
  client: IScriptForgeClient;
  trans: TranslationBundle;
  run: IRun;
}

export function RunArtifacts(props: IRunArtifactsProps): JSX.Element | null {
  const { client, trans, run } = props;
  const kept = run.artifact_files > 0;
  const state = useFetched(
    () =>
      kept
        ? client.artifacts.list(run.id)
        : Promise.resolve({ artifacts: [], bytes: 0 }),
    [client, run.id, run.artifact_files]
  );
  const [downloading, setDownloading] = React.useState<string | null>(null);
  if (!kept) {
    return null;
  }

  const download = async (artifact: IArtifact) => {
    setDownloading(artifact.path);
    await tryOrShowError(
      trans.__('Cannot download %1', artifact.path),
      async () => {
        const blob = await client.artifacts.download(run.id, artifact.path);
        saveAs(blob, artifact.path.split('/').pop() ?? artifact.path);
      }
    );
    setDownloading(null);
  };

  return (
    <section
      className="jp-ScriptForge-artifacts"
      aria-label={trans.__('Files kept by run %1', run.id)}
    >
      <h3 className="jp-ScriptForge-artifacts-title">
        {state.kind === 'ready' && state.value.artifacts.length > 0
          ? trans._n(
              '%1 file kept, %2',
              '%1 files kept, %2',
              state.value.artifacts.length,
              formatBytes(state.value.bytes)
            )
          : trans.__('Files kept')}
      </h3>
      {state.kind === 'loading' && (
        <LoadingNote>{trans.__('Loading the files…')}</LoadingNote>
      )}
      {state.kind === 'failed' && <ErrorNote message={state.message} />}
      {state.kind === 'ready' && state.value.artifacts.length === 0 && (
        <div className="jp-ScriptForge-hint">
          {trans.__(
            'This run kept %1 files; they have expired since.',
            run.artifact_files
          )}
        </div>
      )}
      {state.kind === 'ready' && state.value.artifacts.length > 0 && (
        <ul className="jp-ScriptForge-artifacts-list">
          {state.value.artifacts.map(artifact => (
            <li
              key={artifact.path}
              className="jp-ScriptForge-artifact"
              data-path={artifact.path}
            >
              <fileIcon.react
                tag="span"
                className="jp-ScriptForge-artifact-icon"
              />
              <span
                className="jp-ScriptForge-artifact-path"
                title={artifact.path}
              >
                {artifact.path}
              </span>
              <span className="jp-ScriptForge-artifact-size">
                {formatBytes(artifact.size)}
              </span>
              <ToolbarButtonComponent
                icon={downloadIcon}
                enabled={downloading === null}
                tooltip={trans.__('Download %1', artifact.path)}
                onClick={() => void download(artifact)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Hand `blob` to the browser as a download named `name`. */
function saveAs(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // After the browser has taken the URL for the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
