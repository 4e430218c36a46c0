// What a child process may see of the agent's environment: where programs are, the locale and time
// zone, the temporary folder. Never the password variables (passwordEnv, MYSQL_PWD), WARDEN_API_TOKEN
// or whatever else the agent was started with.
const KEPT = /^(?:PATH|HOME|LANG|LANGUAGE|LC_[A-Z_]+|TZ|TMPDIR)$/;

export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => KEPT.test(key)));
}
