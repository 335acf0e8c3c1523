// Deterministic generator of large, realistic playbooks for the benchmark: the same seed and size give the
// same text byte for byte. The content imitates the Markdown playbooks the product converts (curl | jq health
// checks, kubectl, log greps, docker-compose, psql, redis-cli), with every feature of the format in use and
// exactly three deliberate mistakes, so validation has real work and real findings. It is written in the styles of
// examples/*.playbook.yaml: section comments between scenarios and step comments between steps, folded and literal
// descriptions and notes, one-line flow maps, quoted strings, links.

/** The deliberate mistakes, as the analyzer's problem codes, one each. */
export const DELIBERATE_PROBLEMS = ['DUPLICATE_ID', 'UNDEFINED_VARIABLE', 'UNKNOWN_KEY'] as const;

/** The misspelt key (of `timeout`) planted in one step. */
export const UNKNOWN_KEY = 'timout';
/** The undeclared variable (close to `DB_HOST`) planted in one step's command. */
export const UNDEFINED_VARIABLE = 'DB_HOSTNAME';

export interface MiddleStep {
  /** Id of the plain `run` step in the middle of the playbook. */
  id: string;
  /** Offset at the end of the first line inside its `run: |` block: where the benchmark types a character. */
  editOffset: number;
  /** Offset at the end of its `title:` line: a new line inserted here is a key position inside the step. */
  lineEndOffset: number;
  /** Indentation of the step's keys. */
  indent: string;
  /** The keys the step already has (completion must not offer them again). */
  keys: string[];
}

export interface GeneratedPlaybook {
  text: string;
  /** Number of steps generated. */
  steps: number;
  scenarios: number;
  middle: MiddleStep;
}

/** Small, fast, seedable PRNG (mulberry32); deterministic across platforms. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = prng(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct items, in their original order. */
  some<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}

interface Service {
  name: string;
  slug: string;
  port: number;
  db: string;
  log: string;
}

const SERVICES: Service[] = [
  { name: 'Checkout API', slug: 'checkout', port: 5002, db: 'checkout', log: 'logs/checkout-api.log' },
  { name: 'Auth service', slug: 'auth', port: 8081, db: 'auth', log: 'logs/auth-service.log' },
  { name: 'Payments gateway', slug: 'payments', port: 8443, db: 'payments', log: 'logs/payments.log' },
  { name: 'Search API', slug: 'search', port: 9200, db: 'catalog', log: 'logs/search.log' },
  { name: 'Order worker', slug: 'orders', port: 7070, db: 'orders', log: 'logs/order-worker.log' },
  { name: 'Notification service', slug: 'notifier', port: 6060, db: 'notifications', log: 'logs/notifications.log' },
  { name: 'Inventory API', slug: 'inventory', port: 5080, db: 'inventory', log: 'logs/inventory.log' },
  { name: 'AI pipeline', slug: 'ai', port: 5005, db: 'pipeline', log: 'logs/ai-pipeline.log' },
];

const PROBLEMS = [
  'latency above SLO',
  'error rate spike',
  'memory leak',
  'pods crash-looping',
  'database connection pool exhausted',
  'cache hit rate collapse',
  'disk almost full',
  'TLS certificate expiring',
  'queue backlog growing',
  'bad deploy',
  'DNS resolution failures',
  'CPU saturation',
  'module loading incomplete',
  'rate limiting misfiring',
];

const SEVERITY_IDS = ['P0', 'P1', 'P2', 'P3', 'P4'];
const ROLE_IDS = ['commander', 'tech-lead', 'comms-lead', 'dba', 'on-call', 'network-sme'];
const TEMPLATE_IDS = ['initial', 'update', 'resolved', 'escalation'];

const PHASES: { id: string; title: string; from: string; to: string }[] = [
  { id: 'immediate', title: 'Immediate response (0-15 min)', from: '0m', to: '15m' },
  { id: 'diagnose', title: 'Diagnose (15-30 min)', from: '15m', to: '30m' },
  { id: 'mitigate', title: 'Mitigate (30-60 min)', from: '30m', to: '1h' },
  { id: 'recover', title: 'Recover (1-2 h)', from: '1h', to: '2h' },
  { id: 'verify', title: 'Verify and monitor', from: '2h', to: '4h' },
];

type Kind = 'run' | 'http' | 'manual' | 'notify';

interface Block {
  lines: string[];
  /** The block changes state (restart, flush, rollback): its step gets `confirm: true`. */
  destructive?: boolean;
  /** Words for the step's title. */
  title: string;
}

/** Shell snippets in the style of the seeds, for one service. */
function shellBlocks(r: Random, s: Service): Block[] {
  const tail = r.pick([20, 50, 100, 200, 500]);
  const heap = r.pick([1500, 2000, 2500, 3000]);
  const minutes = r.pick([5, 10, 15, 30]);
  return [
    {
      title: `Check ${s.name} health`,
      lines: [
        `# Quick system check of ${s.name}`,
        `curl -s \${BASE_URL}/health || echo "SERVER DOWN"`,
        `curl -s \${BASE_URL}/health | jq '.status'`,
        `ps aux | grep ${s.slug} | grep -v grep || echo "NO PROCESSES"`,
      ],
    },
    {
      title: `Check ${s.name} memory`,
      lines: [
        '# Heap usage and leak indicators',
        `curl -s \${BASE_URL}/health/memory 2>/dev/null | jq '.memoryUsage.heapSizeMB' || echo "MEMORY CHECK FAILED"`,
        `curl -s \${BASE_URL}/health/memory | jq '.memoryLeaks'`,
      ],
    },
    {
      title: `Look for errors in the ${s.name} log`,
      lines: [
        '# Recent errors in the server log',
        `tail -${tail} ${s.log} | grep -iE "exception|error|critical" | tail -20`,
        `grep -c "HTTP/1.1\\" 5" /var/log/nginx/access.log`,
      ],
    },
    {
      title: `List unhealthy ${s.slug} pods`,
      lines: [
        `# Pods of ${s.slug} that are not Running`,
        `kubectl get pods -n \${NAMESPACE} -l app=${s.slug} -o wide | grep -v Running`,
        `kubectl top pods -n \${NAMESPACE} -l app=${s.slug} --sort-by=memory | head -10`,
        `kubectl get events -n \${NAMESPACE} --sort-by=.lastTimestamp | grep ${s.slug} | tail -20`,
      ],
    },
    {
      title: `Inspect the ${s.slug} deployment`,
      lines: [
        `kubectl describe deployment/${s.slug} -n \${NAMESPACE} | grep -A5 Conditions`,
        `kubectl rollout history deployment/${s.slug} -n \${NAMESPACE} | tail -5`,
        `kubectl logs -n \${NAMESPACE} deployment/${s.slug} --tail=${tail} | grep -E "connection|pool|timeout"`,
      ],
    },
    {
      title: `Check ${s.slug} containers`,
      lines: [
        '# Container status and resource usage',
        'docker-compose ps',
        `docker-compose logs --tail=${tail} ${s.slug} | grep -i error`,
        'docker stats --no-stream --format "table {{.Name}}\\t{{.CPUPerc}}\\t{{.MemUsage}}"',
      ],
    },
    {
      title: `Check ${s.db} database sessions`,
      lines: [
        '# Active and long-running queries',
        `psql -h \${DB_HOST} -U app -d ${s.db} -c "SELECT count(*) FROM pg_stat_activity WHERE state = 'active';"`,
        `psql -h \${DB_HOST} -U app -d ${s.db} -c "SELECT pid, now() - query_start AS age, left(query, 60) FROM pg_stat_activity ORDER BY age DESC LIMIT 10;"`,
      ],
    },
    {
      title: 'Check the cache',
      lines: [
        '# Redis memory and hit rate',
        `redis-cli -h \${REDIS_HOST} INFO memory | grep used_memory_human`,
        `redis-cli -h \${REDIS_HOST} INFO stats | grep -E "keyspace_(hits|misses)"`,
        `redis-cli -h \${REDIS_HOST} --latency-history -i 1 | head -5`,
      ],
    },
    {
      title: `Restart ${s.name} if the heap is too large`,
      lines: [
        '# If memory issue',
        `HEAP=$(curl -s \${BASE_URL}/health/memory | jq '.memoryUsage.heapSizeMB' 2>/dev/null || echo "0")`,
        `if [ "$HEAP" -gt ${heap} ]; then`,
        `  echo "CRITICAL: heap at $HEAP MB"`,
        './stop-servers.sh && sleep 5 && ./start-server.sh',
        'fi',
      ],
      destructive: false,
    },
    {
      title: `Watch ${s.name} recover`,
      lines: [
        `# Monitor for ${minutes} minutes`,
        `for i in $(seq 1 ${minutes}); do`,
        `  echo "check $i/${minutes}: $(curl -s \${BASE_URL}/health | jq -r '.status')"`,
        '  sleep 60',
        'done',
      ],
    },
    {
      title: 'Check disk usage',
      lines: [
        '# Disk usage on the host',
        'df -h / /var | tail -n +2',
        'du -sh /var/log/* 2>/dev/null | sort -h | tail -10',
        `find /var/log/${s.slug} -name "*.gz" -mtime +7 | wc -l`,
      ],
    },
    {
      title: 'Check DNS and TLS',
      lines: [
        `dig +short ${s.slug}.example.com`,
        `echo | openssl s_client -connect ${s.slug}.example.com:443 -servername ${s.slug}.example.com 2>/dev/null | openssl x509 -noout -dates`,
        `curl -sv https://${s.slug}.example.com/health 2>&1 | grep -E "HTTP/|SSL"`,
      ],
    },
    {
      title: 'Check consumer lag',
      lines: [
        `kafka-consumer-groups.sh --bootstrap-server \${KAFKA_BROKERS} --describe --group ${s.slug}-workers | awk 'NR>1 {lag+=$6} END {print "total lag:", lag}'`,
        `curl -s \${BASE_URL}/metrics/prometheus | grep -E "(latency|error_rate)"`,
      ],
    },
    {
      title: `Roll ${s.slug} pods`,
      destructive: true,
      lines: [
        `# Rolling restart of ${s.slug}`,
        `kubectl rollout restart deployment/${s.slug} -n \${NAMESPACE}`,
        `kubectl rollout status deployment/${s.slug} -n \${NAMESPACE} --timeout=180s`,
      ],
    },
    {
      title: `Roll back the last ${s.slug} deploy`,
      destructive: true,
      lines: [
        '# If the recent deployment caused the issue',
        `kubectl rollout undo deployment/${s.slug} -n \${NAMESPACE}`,
        `kubectl rollout status deployment/${s.slug} -n \${NAMESPACE}`,
        './scripts/smoke-test.sh',
      ],
    },
    {
      title: `Restart the ${s.slug} container`,
      destructive: true,
      lines: [`docker-compose restart ${s.slug}`, 'sleep 10', `curl -s \${BASE_URL}/health | jq '.status'`],
    },
    {
      title: 'Flush the cache',
      destructive: true,
      lines: ['# Drop poisoned cache entries', `redis-cli -h \${REDIS_HOST} FLUSHDB`, `redis-cli -h \${REDIS_HOST} DBSIZE`],
    },
    {
      title: 'Terminate idle transactions',
      destructive: true,
      lines: [
        '# Free connections held by idle transactions',
        `psql -h \${DB_HOST} -U app -d ${s.db} -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND now() - state_change > interval '10 minutes';"`,
      ],
    },
  ];
}

const HTTP_CHECKS: { path: string; title: string; json: string[] }[] = [
  { path: '/health', title: 'Health endpoint answers', json: ['status equals healthy'] },
  { path: '/health/memory', title: 'Heap below the limit', json: ['memoryUsage.heapSizeMB lt 2000', 'memoryLeaks exists false'] },
  { path: '/health/ai-pipeline', title: 'Pipeline metrics', json: ['metrics.queueDepth lt 500'] },
  {
    path: '/health',
    title: 'All modules loaded',
    json: ['moduleLoading.asyncInitializationComplete equals true', 'modules[0].status equals loaded'],
  },
  { path: '/api/v1/status', title: 'Status API answers', json: ['database.connected equals true'] },
  { path: '/metrics/summary', title: 'Error rate back to normal', json: ['errorRate lt 0.01', 'p99LatencyMs lte 800'] },
];

const MANUAL_ACTIONS: { title: string; text: string[]; checklist: string[] }[] = [
  {
    title: 'Open the incident bridge',
    text: ['Open a bridge in #incidents and page the on-call engineer.', 'Record who joined and when in the incident log.'],
    checklist: ['Bridge opened', 'On-call engineer joined', 'Commander named'],
  },
  {
    title: 'Confirm customer impact',
    text: ['Check the support queue and the status page for customer reports.', 'Estimate the share of users affected.'],
    checklist: ['Support queue checked', 'Impact estimated'],
  },
  {
    title: 'Freeze deploys',
    text: ['Announce a deploy freeze in #deploys until the incident is resolved.'],
    checklist: ['Freeze announced', 'Pipelines paused'],
  },
  {
    title: 'Decide on failover',
    text: ['With the technical lead, decide whether to fail over to the standby region.', 'Write the decision and its reason in the log.'],
    checklist: ['Decision made', 'Reason recorded'],
  },
];

const SYMPTOMS = [
  'Health endpoint times out',
  'p99 latency above 2 s',
  '5xx rate above 5%',
  'Pods restarting (OOMKilled)',
  'Connection pool at 100%',
  'Queue depth growing for 10 minutes',
  'Customers report failed checkouts',
  'Alerts from the synthetic monitor',
  'Heap above 2000 MB',
  'Disk usage above 90%',
];

interface StepInfo {
  id: string;
  kind: Kind;
}

interface Planted {
  unknownKeyAt: number;
  undefinedVariableAt: number;
  duplicateAt: number;
  middleAt: number;
}

class Writer {
  private readonly parts: string[] = [];
  length = 0;

  line(text: string): void {
    this.parts.push(text, '\n');
    this.length += text.length + 1;
  }

  toString(): string {
    return this.parts.join('');
  }
}

/**
 * Generates a playbook with exactly `steps` steps. Scenarios have 10-25 steps; about half group them in
 * phases with time windows. Step kinds mix shell (with 3-12 line `run: |` blocks), HTTP checks, manual and
 * notify steps, with `when`, `repeat`, `timeout`, `expect` and `confirm` where they make sense.
 */
export function generatePlaybook(steps: number, seed = 20260401): GeneratedPlaybook {
  if (!Number.isInteger(steps) || steps < 40) throw new RangeError('generatePlaybook needs at least 40 steps');
  const r = new Random(seed ^ steps);
  const w = new Writer();
  const planted: Planted = {
    unknownKeyAt: Math.floor(steps / 4),
    undefinedVariableAt: Math.floor((steps * 3) / 4),
    duplicateAt: Math.floor((steps * 5) / 8),
    middleAt: Math.floor(steps / 2),
  };
  writeHeader(w, steps);
  const all: StepInfo[] = [];
  let middle: MiddleStep | undefined;
  let scenarioCount = 0;
  w.line('scenarios:');
  while (all.length < steps) {
    const remaining = steps - all.length;
    // 10-25 steps a scenario; the last ones are sized so that none ends up smaller or larger.
    let size = r.int(10, 25);
    if (remaining <= 25) size = remaining;
    else if (remaining - size < 10) size = remaining - 10;
    const result = writeScenario(w, r, scenarioCount, size, all, planted);
    middle ??= result;
    scenarioCount++;
  }
  writeFooter(w);
  if (!middle) throw new Error('the middle step was not generated');
  return { text: w.toString(), steps: all.length, scenarios: scenarioCount, middle };
}

function writeHeader(w: Writer, steps: number): void {
  const lines = [
    `# Generated by bench/generate.ts: ${steps} steps, for \`npm run bench\`. Not a real playbook.`,
    'version: 1',
    'id: platform-incidents',
    `title: Platform incident response (${steps} steps)`,
    'description: >-',
    '  Incident response for the shop platform: health checks, Kubernetes workloads, the Postgres',
    '  and Redis tiers, deploy rollbacks and customer communication, per scenario and phase.',
    'owner: sre-platform',
    'service: shop platform',
    'tags: [platform, kubernetes, postgres, redis]',
    'links:',
    '  - title: Grafana overview',
    '    url: ${GRAFANA_URL}/d/platform-overview',
    '  - title: Status page',
    '    url: https://status.example.com',
    'notes:',
    '  - "Communication: Slack #incidents; PagerDuty service platform-primary."',
    '  - Review this playbook monthly.',
    'defaults:',
    '  shell: bash',
    '  timeout: 5m',
    'variables:',
    '  BASE_URL:',
    '    description: Base URL of the API gateway',
    '    default: http://localhost:5002',
    '  NAMESPACE:',
    '    description: Kubernetes namespace of the platform',
    '    default: production',
    '    options: [production, staging]',
    '  DB_HOST:',
    '    description: Primary Postgres host',
    '    default: db.internal',
    '  REDIS_HOST:',
    '    description: Redis host',
    '    default: cache.internal',
    '  KAFKA_BROKERS:',
    '    description: Kafka bootstrap servers',
    '    default: kafka-0.internal:9092',
    '  GRAFANA_URL:',
    '    default: https://grafana.example.com',
    '  API_KEY:',
    '    description: Admin API key of the gateway',
    '    secret: true',
    '    prompt: API key for the admin endpoints',
    '  SLACK_WEBHOOK:',
    '    description: Incoming webhook of #incidents',
    '    secret: true',
    'severities:',
  ];
  for (const line of lines) w.line(line);
  const table: [string, string, string, string, string, string, string][] = [
    ['P0', 'Critical', 'Platform down or data loss', '>50%', '5m', '15m', 'commander'],
    ['P1', 'High', 'Major functionality unavailable', '10-50%', '15m', '30m', 'tech-lead'],
    ['P2', 'Medium', 'Degraded performance', '<10%', '30m', '1h', 'tech-lead'],
    ['P3', 'Low', 'Minor functionality affected', '<1%', '1h', '4h', 'on-call'],
    ['P4', 'Cosmetic', 'No user impact', '0%', '24h', '2d', 'on-call'],
  ];
  for (const [id, name, impact, users, respond, escalate, to] of table) {
    w.line(`  - id: ${id}`);
    w.line(`    name: ${name}`);
    w.line(`    impact: ${impact}`);
    w.line(`    users_affected: "${users}"`);
    w.line(`    respond_within: ${respond}`);
    w.line(`    escalate_after: ${escalate}`);
    w.line(`    escalate_to: ${to}`);
    w.line(`    update_every: ${respond === '5m' ? '15m' : '30m'}`);
    w.line('    examples: [Checkout failing, API errors, Slow search]');
  }
  w.line('roles:');
  const roles: [string, string, string][] = [
    ['commander', 'Incident Commander', '@ic-rotation'],
    ['tech-lead', 'Technical Lead', '@platform-leads'],
    ['comms-lead', 'Communications Lead', '#incident-comms'],
    ['dba', 'Database on-call', 'PagerDuty dba-primary'],
    ['on-call', 'On-call engineer', 'PagerDuty platform-primary'],
    ['network-sme', 'Network expert', '@netops'],
  ];
  for (const [id, name, contact] of roles) {
    w.line(`  - id: ${id}`);
    w.line(`    name: ${name}`);
    w.line(`    contact: "${contact}"`);
    w.line('    responsibilities: [Own decisions in their area, Keep the log current]');
  }
  w.line('escalation:');
  w.line('  - when: error rate above 5% for 10 minutes');
  w.line('    after: 10m');
  w.line('    to: tech-lead');
  w.line('    notify: escalation');
  w.line('templates:');
  for (const id of TEMPLATE_IDS) {
    w.line(`  - id: ${id}`);
    w.line(`    kind: ${id}`);
    w.line(`    title: ${id.charAt(0).toUpperCase()}${id.slice(1)} notice`);
    w.line('    channel: "#incidents"');
    w.line('    body: |');
    w.line('      [{{incident.severity}}] {{incident.title}} ({{incident.id}})');
    w.line('      Status: {{incident.status}}. Started {{incident.started}}.');
    w.line('      Impact: {{impact}}');
    w.line('      Next update: {{incident.next_update}}');
    w.line('    fields:');
    w.line('      - name: impact');
    w.line('        description: Who is affected and how');
  }
}

function writeFooter(w: Writer): void {
  const lines = [
    'checklists:',
    '  - id: during',
    '    title: During the incident',
    '    when: during',
    '    items:',
    '      - Commander named',
    '      - text: Status page updated',
    '        role: comms-lead',
    '      - Timeline kept in the log',
    '  - id: after',
    '    title: After the incident',
    '    when: after',
    '    items:',
    '      - Post-incident review scheduled',
    '      - text: Action items filed',
    '        role: commander',
    'post_incident:',
    '  review_within: 5d',
    '  sections: [Summary, Timeline, Root cause, Action items]',
    '  checklist: [Timeline verified, Owners assigned]',
    '  report_template: |',
    '    # {{incident.id}}: {{incident.title}}',
    '    Severity {{incident.severity}}, duration {{incident.duration}}.',
    '    ## Actions',
    '    {{incident.actions}}',
    '  action_items:',
    '    - title: Add an alert on heap growth',
    '      owner: tech-lead',
    '      due: 14d',
  ];
  for (const line of lines) w.line(line);
}

/** The section comment the examples put between scenarios (after a blank line), at the items' indentation. */
function sectionComment(w: Writer, r: Random, words: string): void {
  w.line('');
  w.line(r.chance(0.5) ? `  # ${'='.repeat(66)} ${words}` : `  # ${'-'.repeat(66)} ${words}`);
}

function writeScenario(w: Writer, r: Random, index: number, size: number, all: StepInfo[], planted: Planted): MiddleStep | undefined {
  const service = SERVICES[index % SERVICES.length];
  const problemText = PROBLEMS[(index * 7 + r.int(0, 3)) % PROBLEMS.length];
  const id = `${service.slug}-${problemText.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${index + 1}`;
  const severity = r.pick(SEVERITY_IDS.slice(0, 4));
  if (index === 0 || r.chance(0.7)) sectionComment(w, r, `${service.name}: ${problemText}`);
  else if (r.chance(0.5)) w.line('');
  w.line(`  - id: ${id}`);
  w.line(
    r.chance(0.4)
      ? `    title: "${service.name}: ${problemText} (#${index + 1})"`
      : `    title: ${service.name} ${problemText} (#${index + 1})`,
  );
  w.line(`    severity: ${severity}`);
  if (r.chance(0.5)) {
    w.line('    description: >-');
    w.line(`      ${service.name} shows ${problemText}. Follow the phases in order and record every check in the`);
    w.line(`      incident log; escalate to the ${r.pick(ROLE_IDS)} role when a check keeps failing.`);
  } else {
    w.line(`    description: ${service.name} shows ${problemText}; follow the phases in order and record every check.`);
  }
  w.line('    symptoms:');
  for (const s of r.some(SYMPTOMS, r.int(2, 3))) w.line(`      - ${s}`);
  w.line(`    detection: [Grafana alert ${service.slug}-${r.int(100, 999)}, Synthetic monitor]`);
  w.line(`    rto: ${r.pick(['30m', '1h', '2h', '4h'])}`);
  if (r.chance(0.4)) {
    w.line('    links:');
    w.line('      - title: Service dashboard');
    w.line(`        url: \${GRAFANA_URL}/d/${service.slug}-overview`);
    w.line(`      - title: "Runbook: ${service.name}"`);
    w.line(`        url: https://wiki.example.com/runbooks/${service.slug}`);
  }
  if (r.chance(0.3)) {
    if (r.chance(0.5)) {
      w.line('    notes:');
      w.line(
        `      - "RTO: ${r.pick(['5 minutes (restart)', '10 minutes (rollback)', '1 hour (restore)'])}. Owner: ${service.name} team."`,
      );
      w.line('      - |-');
      w.line('        Keep the bridge open until the error rate is back to normal.');
      w.line('        Hand over to the next on-call engineer with a summary in the log.');
    } else {
      w.line(`    notes: "Escalation: ${r.pick(ROLE_IDS)} after 15 minutes without progress."`);
    }
  }
  const first = all.length;
  let middle: MiddleStep | undefined;
  const scenarioSteps: StepInfo[] = [];
  const stepsAt = (indent: string, count: number) => {
    w.line(`${indent}steps:`);
    for (let i = 0; i < count; i++) {
      const m = writeStep(w, r, `${indent}  `, service, all, scenarioSteps, planted);
      middle ??= m;
    }
  };
  if (r.chance(0.5)) {
    const phaseCount = Math.min(r.int(3, 5), Math.floor(size / 2));
    const phases = PHASES.slice(0, phaseCount);
    w.line('    phases:');
    // Even shares, then a step moved between neighbours now and then, so phases differ a little.
    const counts = phases.map((_, i) => Math.floor(size / phaseCount) + (i < size % phaseCount ? 1 : 0));
    for (let i = 0; i + 1 < counts.length; i++) {
      if (counts[i] > 2 && r.chance(0.4)) {
        counts[i]--;
        counts[i + 1]++;
      }
    }
    phases.forEach((phase, i) => {
      const count = counts[i];
      if (i > 0 && r.chance(0.3)) w.line('');
      if (r.chance(0.4)) w.line(`      # ---- ${phase.title}`);
      w.line(`      - id: ${phase.id}`);
      w.line(`        title: ${phase.title}`);
      w.line(`        window: { from: ${phase.from}, to: ${phase.to} }`);
      if (r.chance(0.2)) {
        w.line('        notes: >-');
        w.line('          Work through the steps in order; a failed check is a finding, not a reason to');
        w.line('          stop. Record what you saw before moving to the next phase.');
      }
      stepsAt('        ', count);
    });
  } else {
    stepsAt('    ', size);
  }
  if (r.chance(0.3)) {
    w.line('    escalation:');
    w.line(`      - when: steps.${all[first].id}.failed`);
    w.line('        after: 15m');
    w.line(`        to: ${r.pick(ROLE_IDS)}`);
    w.line(`        severity: ${SEVERITY_IDS[Math.max(0, SEVERITY_IDS.indexOf(severity) - 1)]}`);
    w.line('        notify: escalation');
  }
  return middle;
}

function writeStep(
  w: Writer,
  r: Random,
  indent: string,
  s: Service,
  all: StepInfo[],
  scenario: StepInfo[],
  planted: Planted,
): MiddleStep | undefined {
  const n = all.length;
  const isMiddle = n === planted.middleAt;
  const kind: Kind = isMiddle || n === planted.undefinedVariableAt || n === planted.unknownKeyAt ? 'run' : pickKind(r);
  const key = (k: string, v: string) => w.line(`${indent}  ${k}: ${v}`);
  let id: string;
  if (n === planted.duplicateAt) id = all[n - 3].id;
  else id = `${s.slug}-${kind === 'http' ? 'check' : kind}-${String(n + 1).padStart(5, '0')}`;
  const info: StepInfo = { id, kind };
  const earlier = scenario.length > 0 ? r.pick(scenario) : undefined;
  // Step comments between steps, as in the examples (`# Step 2: Classify severity`), sometimes after a blank line.
  if (r.chance(0.3)) {
    if (r.chance(0.3)) w.line('');
    w.line(`${indent}# Step ${scenario.length + 1}: ${STEP_WORDS[kind]}`);
  }
  w.line(`${indent}- id: ${id}`);
  let middle: MiddleStep | undefined;
  if (kind === 'run') {
    const block = runBlock(r, s, n === planted.undefinedVariableAt, isMiddle);
    // The middle step's title stays plain: the benchmark types at the end of its line.
    key('title', !isMiddle && r.chance(0.25) ? `"Step ${scenario.length + 1}: ${block.title}"` : block.title);
    if (isMiddle) {
      const lineEndOffset = w.length - 1;
      key('run', '|');
      const editOffset = w.length + indent.length + 4 + block.lines[0].length;
      for (const line of block.lines) w.line(`${indent}    ${line}`);
      key('timeout', '2m');
      middle = { id, editOffset, lineEndOffset, indent: `${indent}  `, keys: ['id', 'title', 'run', 'timeout'] };
    } else {
      if (r.chance(0.15)) {
        key('description', '>-');
        w.line(`${indent}    Run from a terminal with access to the cluster and the hosts; the output goes to`);
        w.line(`${indent}    the incident log, so keep secrets out of the command line.`);
      } else if (r.chance(0.15)) {
        key('description', 'Run from a terminal with access to the cluster and the hosts.');
      }
      if (r.chance(0.1)) key('notes', '"Expect a few seconds of output; `Ctrl+C` is not needed."');
      key('run', '|');
      for (const line of block.lines) w.line(`${indent}    ${line}`);
      if (n === planted.unknownKeyAt) key(UNKNOWN_KEY, '30s');
      else if (r.chance(0.35)) key('timeout', r.pick(['30s', '1m', '2m', '5m']));
      if (block.destructive) {
        key('confirm', 'true');
        if (r.chance(0.5)) key('destructive', 'true');
        key('role', r.pick(['tech-lead', 'on-call']));
      } else if (r.chance(0.2)) {
        w.line(`${indent}  expect:`);
        w.line(r.chance(0.5) ? `${indent}    exit_code: [0, 1]` : `${indent}    output_not_contains: ERROR`);
      }
      if (!block.destructive && r.chance(0.3)) key('continue_on_failure', 'true');
      if (earlier && r.chance(block.destructive ? 0.6 : 0.15)) key('when', condition(r, earlier));
    }
  } else if (kind === 'http') {
    const check = r.pick(HTTP_CHECKS);
    key('title', `${check.title} (${s.slug})`);
    if (r.chance(0.5)) {
      // The examples' one-line style.
      key('http', `{ url: "\${BASE_URL}${check.path}", timeout: ${r.pick(['5s', '10s', '30s'])} }`);
      key('expect', r.chance(0.2) ? '{ status: [200, 204] }' : '{ status: 200 }');
      key('continue_on_failure', 'true');
      if (earlier && r.chance(0.15)) key('when', condition(r, earlier));
      all.push(info);
      scenario.push(info);
      return undefined;
    }
    w.line(`${indent}  http:`);
    if (r.chance(0.3)) w.line(`${indent}    method: GET`);
    w.line(`${indent}    url: \${BASE_URL}${check.path}`);
    if (r.chance(0.4)) {
      w.line(`${indent}    headers:`);
      w.line(`${indent}      Authorization: Bearer \${API_KEY}`);
      w.line(`${indent}      Accept: application/json`);
    }
    w.line(`${indent}    timeout: ${r.pick(['5s', '10s', '30s'])}`);
    w.line(`${indent}  expect:`);
    w.line(`${indent}    status: ${r.chance(0.2) ? '[200, 204]' : '200'}`);
    if (r.chance(0.7)) {
      w.line(`${indent}    json:`);
      for (const spec of check.json) {
        const [path, op, value] = spec.split(' ');
        w.line(`${indent}      - path: ${path}`);
        w.line(`${indent}        ${op}: ${value}`);
      }
    }
    if (r.chance(0.2)) {
      w.line(`${indent}  repeat:`);
      w.line(`${indent}    every: ${r.pick(['30s', '60s', '2m'])}`);
      w.line(`${indent}    times: ${r.int(3, 10)}`);
      w.line(`${indent}    until: passed`);
    }
    key('continue_on_failure', 'true');
    if (earlier && r.chance(0.15)) key('when', condition(r, earlier));
  } else if (kind === 'manual') {
    const action = r.pick(MANUAL_ACTIONS);
    key('title', action.title);
    w.line(`${indent}  manual: |`);
    for (const line of action.text) w.line(`${indent}    ${line}`);
    w.line(`${indent}  checklist:`);
    for (const item of action.checklist) w.line(`${indent}    - ${item}`);
    key('role', r.pick(ROLE_IDS));
    if (r.chance(0.1)) key('severities', '[P0, P1]');
    if (r.chance(0.2)) key('notes', `"Cadence: every ${r.pick(['5', '15', '30'])} minutes until resolved."`);
  } else {
    const template = r.pick(TEMPLATE_IDS);
    key('title', `Send the ${template} notice`);
    w.line(`${indent}  notify:`);
    w.line(`${indent}    template: ${template}`);
    w.line(`${indent}    channel: "#incidents"`);
    if (r.chance(0.5)) w.line(`${indent}    webhook: SLACK_WEBHOOK`);
    key('role', 'comms-lead');
  }
  all.push(info);
  scenario.push(info);
  return middle;
}

const STEP_WORDS: Record<Kind, string> = { run: 'Investigate', http: 'Check the endpoint', manual: 'Coordinate', notify: 'Communicate' };

function pickKind(r: Random): Kind {
  const x = r.int(0, 99);
  return x < 55 ? 'run' : x < 80 ? 'http' : x < 92 ? 'manual' : 'notify';
}

/** 3-12 lines of shell from one to three snippets; the middle step gets a fixed, harmless one. */
function runBlock(r: Random, s: Service, plantUndefined: boolean, middle: boolean): Block {
  const blocks = shellBlocks(r, s);
  if (middle) return blocks[0];
  if (plantUndefined) {
    return {
      title: `Check ${s.db} replication`,
      lines: [
        '# Replication lag on the replica',
        `psql -h \${${UNDEFINED_VARIABLE}} -U app -d ${s.db} -c "SELECT now() - pg_last_xact_replay_timestamp() AS lag;"`,
        'echo "lag checked"',
      ],
    };
  }
  const destructive = r.chance(0.12);
  const pool = blocks.filter((b) => Boolean(b.destructive) === destructive);
  const target = r.int(3, 9);
  const first = r.pick(pool);
  const lines = [...first.lines];
  const safe = blocks.filter((b) => !b.destructive && b !== first);
  while (lines.length < target) {
    const more = r.pick(safe);
    if (lines.length + more.lines.length > 12) break;
    lines.push(...more.lines);
  }
  while (lines.length < 3) lines.push(`echo "done: ${s.slug}"`);
  return { title: first.title, lines, destructive: first.destructive };
}

function condition(r: Random, earlier: StepInfo): string {
  const forHttp = [`steps.${earlier.id}.status != 200`, `not steps.${earlier.id}.passed`, `steps.${earlier.id}.failed or severity == "P0"`];
  const forRun = [`steps.${earlier.id}.failed`, `steps.${earlier.id}.exit_code != 0`, `steps.${earlier.id}.output contains "OutOfMemory"`];
  const forOther = [`steps.${earlier.id}.passed`, `not steps.${earlier.id}.skipped`];
  return r.pick(earlier.kind === 'http' ? forHttp : earlier.kind === 'run' ? forRun : forOther);
}

/** The text with `insert` placed at `offset`. */
export function insertAt(text: string, offset: number, insert: string): string {
  return text.slice(0, offset) + insert + text.slice(offset);
}

/**
 * The playbook with a new, empty line inside the middle step, and the cursor at its end: the position where
 * someone is about to type a new key of that step.
 */
export function withKeyLine(playbook: GeneratedPlaybook): { text: string; offset: number } {
  const { lineEndOffset, indent } = playbook.middle;
  const text = insertAt(playbook.text, lineEndOffset, `\n${indent}`);
  return { text, offset: lineEndOffset + 1 + indent.length };
}
