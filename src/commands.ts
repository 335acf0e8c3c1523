// Every command id in one place; a unit test checks them against package.json both ways.

export const Commands = {
  newPlaybook: 'playbook.newPlaybook',
  revealStep: 'playbook.revealStep',
  refreshTree: 'playbook.refreshTree',
  runStep: 'playbook.runStep',
  dryRunStep: 'playbook.dryRunStep',
  runAll: 'playbook.runAll',
  runNext: 'playbook.runNext',
  tickStep: 'playbook.tickStep',
  notifyStep: 'playbook.notifyStep',
  endIncident: 'playbook.endIncident',
  startIncident: 'playbook.startIncident',
  changeStatus: 'playbook.changeStatus',
  addNote: 'playbook.addNote',
  resolveIncident: 'playbook.resolveIncident',
  changeSeverity: 'playbook.changeSeverity',
  assignRole: 'playbook.assignRole',
  reopenIncident: 'playbook.reopenIncident',
  switchIncident: 'playbook.switchIncident',
  toggleChecklistItem: 'playbook.toggleChecklistItem',
  exportReport: 'playbook.exportReport',
  importMarkdown: 'playbook.importMarkdown',
  showIncident: 'playbook.showIncident',
  showIncidentLog: 'playbook.showIncidentLog',
  forgetSecrets: 'playbook.forgetSecrets',
  syncIncident: 'playbook.syncIncident',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ViewIds = {
  container: 'playbooks',
  steps: 'playbook.steps',
  incident: 'playbook.incident',
} as const;

export const LANGUAGE_ID = 'playbook';
