"""Team mode, the user's side: a user's own Jupyter server (their container under
JupyterHub) holds no store and starts no runs. It forwards ScriptForge's REST API to the
team's ScriptForge service with its own hub token (the user's rights, never more) and keeps
the user's working copies in step with the service (``member_copies``).

Imported only when the server is a team member (``SCRIPTFORGE_SERVICE_URL`` set by the
spawner): nothing of the store, runners or assistant loads here.
"""
