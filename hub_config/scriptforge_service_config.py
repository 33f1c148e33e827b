"""The ScriptForge service's own Jupyter server configuration (team mode).

JupyterHub starts this server as the service ``scriptforge`` (see jupyterhub_config.py); it
serves ScriptForge's REST API to the team, not JupyterLab. Edit the ``ScriptForgeApp``
settings here (runners, limits, the assistant's model) as for a standalone server.
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - Jupyter's config loader

# Extensions of this environment a service does not need (the MCP one listens on a port).
c.ServerApp.jpserver_extensions = {
    "jupyter_scriptforge": True,
    "jupyter_server_mcp": False,
    "jupyter_ai_acp_client": False,
}
# A service serves the API: its landing page says who the user is.
c.ServerApp.default_url = "/scriptforge/api/me"
# JupyterHub stops a managed service with SIGINT: stop at once, without the "Shutdown this
# Jupyter server?" prompt a server with no terminal would wait out.
c.ServerApp.answer_yes = True

# Runs: each in a container of its interpreter's image, created for that run and labelled
# with its user (org.jupyter.scriptforge.user), on no network. The warm pool is off: its
# containers start before anyone's run, so they could carry no user. All users' runs share
# max_runs, taking turns; ScriptForgeApp.user_limits gives some users other limits, e.g.
#   c.ScriptForgeApp.user_limits = {"alice": {"memory_bytes": 2 << 30, "cpus": 2}}
c.ScriptForgeApp.default_runner = "docker"
c.ScriptForgeApp.docker_network = "none"
c.ScriptForgeApp.warm_pool_size = 0
