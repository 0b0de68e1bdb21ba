// The tool and prompt surface MSPs already know (shared/tool-surface.md), and
// get_backup_health beyond it.

/** Tools that only read. */
export const READ_TOOLS = [
  "system_info",
  "list_servers",
  "server_health",
  "list_agents",
  "get_agent",
  "list_agent_devices",
  "summarize_storage_usage",
  "summarize_csa_usage",
  "list_cloud_storage_accounts",
  "get_cloud_storage_account",
  "list_storage_servers",
  "get_storage_server",
  "list_groups",
  "get_group_hierarchy",
  "list_jobs_for_agent",
  "get_job",
  "list_backup_sources",
  "list_job_history",
  "get_job_history_summary",
  "get_job_run_log",
  "list_users",
  "get_user",
  "get_backup_health",
];

/** Tools that change the session's state. */
export const SESSION_TOOLS = ["connect_server", "disconnect_server"];

/** Prompts and their argument names. */
export const PROMPTS = {
  diagnose_failing_jobs: ["window"],
  audit_cloud_storage_usage: [],
  summarize_agent_health: [],
  find_stale_agents: ["days"],
};

/** Arguments each tool must accept (names from the Node server). */
export const TOOL_ARGUMENTS = {
  server_health: ["server_id"],
  connect_server: ["server_id", "label", "base_url", "username", "password"],
  disconnect_server: ["server_id"],
  list_agents: ["server_id", "with_storage", "$filter", "$select", "$expand", "$orderby", "$top", "$skip"],
  get_agent: ["agent_id", "server_id", "include_devices"],
  list_agent_devices: ["server_id", "agent_id"],
  summarize_storage_usage: ["server_id", "group_by", "top", "include_devices"],
  summarize_csa_usage: ["server_id", "include_orphaned_devices"],
  list_cloud_storage_accounts: ["server_id", "$filter", "$top", "$skip"],
  get_cloud_storage_account: ["server_id", "cloud_storage_account_id"],
  list_storage_servers: ["server_id", "$top"],
  get_storage_server: ["server_id", "storage_server_id"],
  list_groups: ["server_id", "$filter", "$orderby", "$top"],
  get_group_hierarchy: ["server_id"],
  list_jobs_for_agent: ["server_id", "agent_id", "$top"],
  get_job: ["server_id", "agent_id", "identifier", "kind"],
  list_backup_sources: ["server_id", "agent_id", "path"],
  list_job_history: ["server_id", "kind", "$filter", "$orderby", "$top", "$skip"],
  get_job_history_summary: ["server_id", "window"],
  get_job_run_log: ["server_id", "job_id", "mode", "tail_count", "full_max"],
  list_users: ["server_id", "$select", "$orderby", "$top"],
  get_user: ["server_id", "user_id"],
  get_backup_health: ["window", "since", "server_id", "tenant_id", "stale_hours", "max_failing_runs", "max_logs"],
};
