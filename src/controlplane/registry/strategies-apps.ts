// REST strategies of apps/v1 workloads: API defaults (replicas, update strategies, history limits, pod
// template defaults), status reset on create and kept on update, and the validation users meet most:
// selector present, non-empty, matching the template labels, and immutable.
import type { KubeObject, StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import { keepStatus } from './keep-status.js';
import { isEmptySelector, selectorMatches, validateLabelSelector } from './label-selector.js';
import { asString, asStringMap, canonicalJson, dig, ensureRecord, isRecord, setDefault, type JsonRecord } from './object-access.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';
import type { ResourceStrategy } from './types.js';

type Workload = 'deployment' | 'replicaset' | 'daemonset' | 'statefulset';

/** Kubernetes' wording for an empty selector differs per kind (replica sets reuse the deployment text). */
const emptySelectorMessage: Record<Workload, string> = {
  deployment: 'empty selector is invalid for deployment',
  replicaset: 'empty selector is invalid for deployment',
  daemonset: 'empty selector is not valid for daemonset.',
  statefulset: 'empty selector is invalid for statefulset',
};

function defaultTemplate(spec: JsonRecord): void {
  const template = ensureRecord(spec, 'template');
  defaultPodSpec(ensureRecord(template, 'spec'));
}

const kindDefaults: Record<Workload, (spec: JsonRecord) => void> = {
  deployment(spec) {
    setDefault(spec, 'replicas', 1);
    const strategy = ensureRecord(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = ensureRecord(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', '25%');
      setDefault(rolling, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
  },
  replicaset(spec) {
    setDefault(spec, 'replicas', 1);
  },
  daemonset(spec) {
    const strategy = ensureRecord(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = ensureRecord(strategy, 'rollingUpdate');
      setDefault(rolling, 'maxUnavailable', 1);
      setDefault(rolling, 'maxSurge', 0);
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
  },
  statefulset(spec) {
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = ensureRecord(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') setDefault(ensureRecord(strategy, 'rollingUpdate'), 'partition', 0);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
  },
};

function validateSelectorAndTemplate(kind: Workload, spec: JsonRecord): StatusCause[] {
  const causes: StatusCause[] = [];
  const selector = spec.selector;
  if (!isRecord(selector)) {
    causes.push(fieldErrors.required('spec.selector'));
  } else {
    causes.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector)) causes.push(fieldErrors.invalid('spec.selector', selector, emptySelectorMessage[kind]));
  }
  const template = spec.template;
  if (!isRecord(template)) return [...causes, fieldErrors.required('spec.template')];
  const labels = asStringMap(dig(template, 'metadata', 'labels'));
  if (isRecord(selector) && !isEmptySelector(selector) && !selectorMatches(selector, labels)) {
    causes.push(fieldErrors.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  const podSpec = isRecord(template.spec) ? template.spec : {};
  causes.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  const restartPolicy = asString(podSpec.restartPolicy);
  if (restartPolicy !== '' && restartPolicy !== 'Always') {
    causes.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  }
  return causes;
}

function validateStrategy(spec: JsonRecord): StatusCause[] {
  const strategy = isRecord(spec.strategy) ? spec.strategy : {};
  if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    return [fieldErrors.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")];
  }
  const rolling = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
  const isZero = (v: unknown): boolean => v === 0 || v === '0' || v === '0%';
  if (rolling && isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
    return [fieldErrors.invalid('spec.strategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0')];
  }
  return [];
}

function validateWorkload(kind: Workload, obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const causes = validateSelectorAndTemplate(kind, spec);
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    causes.push(fieldErrors.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  if (kind === 'deployment') causes.push(...validateStrategy(spec));
  const oldSelector = old && isRecord(old.spec) ? old.spec.selector : undefined;
  if (old && canonicalJson(spec.selector ?? null) !== canonicalJson(oldSelector ?? null)) {
    causes.push(fieldErrors.invalid('spec.selector', spec.selector ?? null, 'field is immutable'));
  }
  return causes;
}

function workloadStrategy(kind: Workload): ResourceStrategy {
  const applyDefaults = (obj: KubeObject): void => {
    const spec = ensureRecord(obj, 'spec');
    kindDefaults[kind](spec);
    defaultTemplate(spec);
  };
  return {
    prepareForCreate(obj) {
      applyDefaults(obj);
      obj.status = {};
    },
    prepareForUpdate(obj, old) {
      applyDefaults(obj);
      keepStatus(obj, old);
    },
    validate: (obj, old) => validateWorkload(kind, obj, old),
  };
}

export const deploymentStrategy = workloadStrategy('deployment');
export const replicaSetStrategy = workloadStrategy('replicaset');
export const daemonSetStrategy = workloadStrategy('daemonset');
export const statefulSetStrategy = workloadStrategy('statefulset');
