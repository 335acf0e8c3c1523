// Recognises shell commands that change or destroy state, so they can ask before running.

/** One destructive pattern found in a command, at text offsets within that command. */
export interface DestructiveMatch {
  label: string;
  text: string;
  start: number;
  end: number;
}

interface Rule {
  label: string;
  pattern: RegExp;
}

// Word boundaries on both sides keep `rmdir`, `terraform plan` or `undrop` from matching.
const RULES: Rule[] = [
  { label: 'recursive delete', pattern: /\brm\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*f?[a-zA-Z]*|-[a-zA-Z]*f[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\b/ },
  { label: 'Redis flush', pattern: /\bFLUSH(?:ALL|DB)\b/i },
  { label: 'SQL drop', pattern: /\bDROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|USER|ROLE)\b/i },
  { label: 'SQL truncate', pattern: /\bTRUNCATE\s+(?:TABLE\s+)?\w/i },
  { label: 'SQL delete', pattern: /\bDELETE\s+FROM\b/i },
  { label: 'terminate database sessions', pattern: /\bpg_(?:terminate|cancel)_backend\b/ },
  { label: 'kill processes', pattern: /\b(?:pkill|killall)\b|\bkill\s+-(?:9|KILL|SIGKILL)\b/ },
  { label: 'firewall block', pattern: /\bufw\s+(?:deny|reject|disable)\b|\biptables\s+(?:-[AI]\b.*\bDROP\b|-F\b)/ },
  {
    label: 'Docker prune/remove',
    pattern: /\bdocker\s+(?:(?:volume|system|image|container|network)\s+prune|rm\s+-f|rmi\s+-f|volume\s+rm)\b/,
  },
  { label: 'Docker Compose down/restart', pattern: /\bdocker[- ]compose\s+(?:[^|;&\n]*\s)?(?:down|restart|stop|kill|rm)\b/ },
  { label: 'Kubernetes delete', pattern: /\bkubectl\s+(?:[^|;&\n]*\s)?(?:delete|drain|cordon)\b/ },
  { label: 'Kubernetes scale to zero', pattern: /\bkubectl\s+(?:[^|;&\n]*\s)?scale\b[^|;&\n]*--replicas[= ]0\b/ },
  { label: 'Kubernetes rollback/restart', pattern: /\bkubectl\s+(?:[^|;&\n]*\s)?rollout\s+(?:undo|restart)\b/ },
  { label: 'Helm rollback/uninstall', pattern: /\bhelm\s+(?:rollback|uninstall|delete)\b/ },
  {
    label: 'git history rewrite',
    pattern: /\bgit\s+(?:revert|reset\s+--hard|push\s+(?:[^|;&\n]*\s)?(?:--force|-f)\b|clean\s+-[a-zA-Z]*f)/,
  },
  { label: 'service stop/restart', pattern: /\b(?:systemctl|service)\s+(?:[^|;&\n]*\s)?(?:stop|restart|kill|disable)\b/ },
  { label: 'shutdown/reboot', pattern: /\b(?:shutdown|reboot|halt|poweroff)\b(?!\.)/ },
  { label: 'format or overwrite a device', pattern: /\bmkfs(?:\.\w+)?\b|\bdd\s+[^|;&\n]*\bof=/ },
];

/**
 * Finds destructive patterns in a shell command. Comment lines are ignored,
 * since `# never run rm -rf /` documents rather than does.
 */
export function findDestructive(command: string): DestructiveMatch[] {
  const matches: DestructiveMatch[] = [];
  let lineStart = 0;
  for (const line of command.split('\n')) {
    const code = stripComment(line);
    for (const rule of RULES) {
      const found = rule.pattern.exec(code);
      if (found) {
        const start = lineStart + found.index;
        matches.push({ label: rule.label, text: found[0], start, end: start + found[0].length });
      }
    }
    lineStart += line.length + 1;
  }
  return matches.sort((a, b) => a.start - b.start);
}

/** The part of a shell line before an unquoted `#` comment. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}
