// Reads what Grafana has of Warden's alerting and installs it in the order Grafana needs: the
// folder, the template, the contact points (their messages name the template), the rule group, and
// last the policy tree (it names the contact points).
import { useMemo, useState } from 'react';
import { apiRuleGroup, RULE_FOLDER, RULE_GROUP } from './grafanaRules';
import { CONTACT_KEYS, contactPoint, isWardenRoute, mergeWardenRoute, TEMPLATE, TEMPLATE_NAME, type ContactKey, type ContactValues } from './notifications';
import * as grafana from './grafanaAlerting';
import { FROM_FILES } from './grafanaAlerting';
import { keepStoredSecrets } from './contactValues';
import { alertingStatus, WARDEN_RULE_UIDS, type AlertingSnapshot } from './status';
import { useAction } from '../../shared/hooks/useAction';
import { useAsync } from '../../shared/hooks/useAsync';

export async function readAlertingSnapshot(): Promise<AlertingSnapshot> {
  const [folder, rules, contactPoints, templates, policies] = await Promise.all([
    grafana.getFolder(RULE_FOLDER.uid),
    grafana.listAlertRules(),
    grafana.listContactPoints(),
    grafana.listTemplates(),
    grafana.getPolicyTree(),
  ]);
  return { folder, rules, contactPoints, templates, policies };
}

export type StepOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface StepResult {
  name: string;
  outcome: StepOutcome;
  note?: string;
}

export interface InstallReport {
  steps: StepResult[];
  /** the step that failed; the ones after it did not run */
  failure?: { name: string; error: unknown };
}

interface Step {
  name: string;
  apply: () => Promise<Omit<StepResult, 'name'>>;
}

// Grafana refuses API changes to what files provisioned, so those are left alone rather than failed on.
const SKIPPED_FROM_FILES = { outcome: 'skipped', note: 'provisioned from files: change it in those files' } as const;

function folderStep({ folder }: AlertingSnapshot): Step {
  return {
    name: `Folder ${RULE_FOLDER.title}`,
    apply: async () => {
      if (folder) return { outcome: 'unchanged' };
      await grafana.createFolder(RULE_FOLDER);
      return { outcome: 'created' };
    },
  };
}

function templateStep({ templates }: AlertingSnapshot): Step {
  const found = templates.find((t) => t.name === TEMPLATE_NAME);
  return {
    name: `Template ${TEMPLATE_NAME}`,
    apply: async () => {
      if (found?.provenance === FROM_FILES) return SKIPPED_FROM_FILES;
      await grafana.putTemplate(TEMPLATE_NAME, TEMPLATE);
      return { outcome: found ? 'updated' : 'created' };
    },
  };
}

function contactStep(key: ContactKey, values: ContactValues, { contactPoints }: AlertingSnapshot): Step {
  const point = contactPoint(key, values);
  const found = contactPoints.find((p) => p.uid === point.uid);
  return {
    name: `Contact point ${point.name}`,
    apply: async () => {
      if (!found) {
        await grafana.createContactPoint(point);
        return { outcome: 'created' };
      }
      if (found.provenance === FROM_FILES) return SKIPPED_FROM_FILES;
      await grafana.updateContactPoint(keepStoredSecrets(point, found));
      return { outcome: 'updated' };
    },
  };
}

function ruleGroupStep({ rules }: AlertingSnapshot): Step {
  const ours = rules.filter((rule) => WARDEN_RULE_UIDS.has(rule.uid));
  const fromFiles = ours.filter((rule) => rule.provenance === FROM_FILES);
  return {
    name: `Rule group ${RULE_GROUP} (${WARDEN_RULE_UIDS.size} alert rules)`,
    apply: async () => {
      // The group is written whole, so one rule Grafana may not change holds back all of them.
      if (fromFiles.length > 0) {
        return { outcome: 'skipped', note: `provisioned from files: ${fromFiles.map((rule) => rule.title).join(', ')}` };
      }
      await grafana.putRuleGroup(RULE_FOLDER.uid, RULE_GROUP, apiRuleGroup(RULE_FOLDER.uid));
      return { outcome: ours.length > 0 ? 'updated' : 'created' };
    },
  };
}

function policyStep(): Step {
  return {
    name: 'Warden branch of the notification policies',
    apply: async () => {
      // Read right before writing: the tree holds everyone's routes, and all of them must stay.
      const { provenance, ...tree } = await grafana.getPolicyTree();
      if (provenance === FROM_FILES) return SKIPPED_FROM_FILES;
      const had = (tree.routes ?? []).some(isWardenRoute);
      await grafana.putPolicyTree(mergeWardenRoute(tree));
      return { outcome: had ? 'updated' : 'created' };
    },
  };
}

/** Runs every step in order and stops at the first failure: later steps depend on earlier ones. */
export async function installWarden(values: ContactValues, snapshot: AlertingSnapshot): Promise<InstallReport> {
  const steps = [
    folderStep(snapshot),
    templateStep(snapshot),
    ...CONTACT_KEYS.map((key) => contactStep(key, values, snapshot)),
    ruleGroupStep(snapshot),
    policyStep(),
  ];
  const done: StepResult[] = [];
  for (const step of steps) {
    try {
      done.push({ name: step.name, ...(await step.apply()) });
    } catch (error) {
      return { steps: done, failure: { name: step.name, error } };
    }
  }
  return { steps: done };
}

/** The state of Warden's alerting in this Grafana, and the installer that changes it. */
export function useAlertingInstall() {
  const snapshot = useAsync(readAlertingSnapshot, []);
  const items = useMemo(() => snapshot.value && alertingStatus(snapshot.value), [snapshot.value]);
  const [report, setReport] = useState<InstallReport>();
  const install = useAction(async (values: ContactValues) => {
    if (!snapshot.value) return;
    setReport(undefined);
    setReport(await installWarden(values, snapshot.value));
    // Show what Grafana holds now, whatever the outcome.
    snapshot.reload();
  });
  return { snapshot, items, report, install: install.run, installing: install.pending };
}
