// Loads the CA from kubeedge/casecret or creates it there (KubeEdge createCAToSecret). Unlike KubeEdge,
// which overwrites the Secret with whatever it generated, we create-or-adopt: when two cloudcores
// start together, the loser of the create re-reads and both use the same CA.
import type { Logger } from '../../core/index.js';
import type { KubeClient } from '../kube/index.js';
import { caFromDer, generateCA, type CaMaterial } from './ca-material.js';
import { CERTS_NAMESPACE, SecretKeys, SecretNames } from './names.js';
import { createOrAdopt, ensureNamespace, getSecret, secretBytes } from './secrets.js';
import type { KubeObject } from '../../api/index.js';

export class CaSecretError extends Error {
  override readonly name = 'CaSecretError';
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

function fromSecret(secret: KubeObject): CaMaterial {
  const certDer = secretBytes(secret, SecretKeys.caCert);
  const keyDer = secretBytes(secret, SecretKeys.caKey);
  const where = `secret ${CERTS_NAMESPACE}/${SecretNames.ca}`;
  if (!certDer || !keyDer) throw new CaSecretError(`${where} lacks ${SecretKeys.caCert} or ${SecretKeys.caKey}`);
  try {
    return caFromDer(certDer, keyDer);
  } catch (err) {
    throw new CaSecretError(`${where} holds an unusable CA: ${(err as Error).message}`, { cause: err });
  }
}

/** The CA in kubeedge/casecret, or undefined when there is none yet (keadm uses this). */
export async function readCA(kube: KubeClient): Promise<CaMaterial | undefined> {
  const secret = await getSecret(kube, SecretNames.ca);
  return secret ? fromSecret(secret) : undefined;
}

export async function loadOrCreateCA(kube: KubeClient, log: Logger): Promise<CaMaterial> {
  const existing = await readCA(kube);
  if (existing) {
    log.info('ca loaded', { secret: `${CERTS_NAMESPACE}/${SecretNames.ca}` });
    return existing;
  }
  await ensureNamespace(kube);
  const fresh = await generateCA();
  const { secret, created } = await createOrAdopt(kube, {
    name: SecretNames.ca,
    data: { [SecretKeys.caCert]: fresh.certDer, [SecretKeys.caKey]: fresh.keyDer },
  });
  log.info(created ? 'ca created' : 'ca adopted', { secret: `${CERTS_NAMESPACE}/${SecretNames.ca}` });
  return created ? fresh : fromSecret(secret);
}
