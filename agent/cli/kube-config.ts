import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../core/errors.js';

/** The kubeconfig file a command names (--kubeconfig, $KUBECONFIG, ~/.kube/config); a ConfigError naming it when unreadable. */
export function loadKubeConfig(command: string, file: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(file);
  } catch (e) {
    throw new ConfigError([{ code: 'InvalidKubeconfig', path: [], message: `${command}: cannot load kubeconfig ${file}: ${(e as Error).message}` }]);
  }
  return kubeConfig;
}
