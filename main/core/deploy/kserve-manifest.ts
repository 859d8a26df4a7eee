import { yamlText, type YamlValue } from '../pipelines/yaml-text.ts';

/**
 * The KServe `InferenceService` (serving.kserve.io/v1beta1) for a Lathe agent image: a custom
 * predictor container named `kserve-container` on port 8080, readiness and liveness on the Open
 * Inference Protocol's `/v2/health/ready` and `/v2/health/live`, and — for a canary — KServe's
 * `canaryTrafficPercent`, which splits traffic between the last rolled-out revision and this one
 * (promote by removing it, roll back by setting it to 0).
 */
export const AGENT_PORT = 8080;

export interface InferenceServiceSettings {
  /** metadata.name: a DNS label. */
  name: string;
  image: string;
  model: string;
  version: number;
  canaryPercent?: number | undefined;
}

export function inferenceService(settings: InferenceServiceSettings): YamlValue {
  const probe = (path: string, initialDelaySeconds: number) => ({ httpGet: { path, port: AGENT_PORT }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 5 });
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: settings.name,
      labels: { 'app.kubernetes.io/name': settings.name, 'app.kubernetes.io/managed-by': 'lathe', 'lathe.dev/model': settings.model, 'lathe.dev/version': String(settings.version) },
      annotations: { 'serving.kserve.io/deploymentMode': 'Serverless' },
    },
    spec: {
      predictor: {
        ...(settings.canaryPercent === undefined ? {} : { canaryTrafficPercent: settings.canaryPercent }),
        minReplicas: 1,
        containers: [
          {
            name: 'kserve-container',
            image: settings.image,
            ports: [{ containerPort: AGENT_PORT, protocol: 'TCP' }],
            readinessProbe: probe('/v2/health/ready', 5),
            livenessProbe: probe('/v2/health/live', 15),
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
          },
        ],
      },
    },
  };
}

export function inferenceServiceYaml(settings: InferenceServiceSettings): string {
  return yamlText(inferenceService(settings), [
    `KServe InferenceService for ${settings.model}@${settings.version}, written by \`lathe deploy export --kserve\`.`,
    `Build and push the image from this folder (docker build -t ${settings.image} .), then: kubectl apply -f inferenceservice.yaml`,
    ...(settings.canaryPercent === undefined ? [] : [`canaryTrafficPercent ${settings.canaryPercent}: promote by removing it, roll back by setting it to 0.`]),
  ]);
}
