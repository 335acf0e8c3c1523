// The text of a new playbook, valid from the first keystroke.

export function starterPlaybook(title: string): string {
  const safeTitle = JSON.stringify(title.trim() || 'New service');
  return `version: 1
title: ${safeTitle}
description: What this playbook covers and when to use it.
variables:
  BASE_URL:
    description: Base URL of the service
    default: http://localhost:8080
severities:
  - id: P1
    name: Critical
    impact: Service down or data at risk
    respond_within: 15m
    escalate_after: 30m
    escalate_to: commander
    update_every: 30m
  - id: P2
    name: High
    impact: Major functionality degraded
    respond_within: 30m
    update_every: 1h
roles:
  - id: commander
    name: Incident Commander
    contact: "#incidents"
scenarios:
  - id: service-down
    title: Service down
    severity: P1
    symptoms:
      - Health check failing
    phases:
      - id: diagnose
        title: Diagnose
        window: { from: 0m, to: 15m }
        steps:
          - id: check-health
            title: Check health
            http:
              url: \${BASE_URL}/health
            expect:
              status: 200
          - id: recent-errors
            title: Recent errors in the log
            run: |
              tail -n 50 logs/server.log | grep -i error
            expect:
              exit_code: [0, 1]
      - id: mitigate
        title: Mitigate
        window: { from: 15m, to: 30m }
        steps:
          - id: restart
            title: Restart the service
            run: ./restart.sh
            confirm: true
            when: steps.check-health.failed
          - id: tell-stakeholders
            title: Tell stakeholders
            notify:
              template: initial
templates:
  - id: initial
    kind: initial
    title: Initial notice
    channel: "#incidents"
    body: |
      [{{incident.severity}}] {{incident.title}} ({{incident.id}})
      Status: {{incident.status}}. Started {{incident.started}}.
`;
}
