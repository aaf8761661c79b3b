/**
 * What kustomize's strategic merge needs from its built-in Kubernetes 1.21 OpenAPI document
 * (kyaml/openapi/kubernetesapi/v1_21_2/swagger.pb), generated from it: for each known
 * apiVersion|kind, the schema path to every list merged by key (x-kubernetes-patch-strategy
 * containing "merge", keys from x-kubernetes-list-map-keys or x-kubernetes-patch-merge-key),
 * and the kinds that document lists as cluster-scoped. Lists absent here are replaced whole.
 *
 * Schema nodes: p = properties, a = additionalProperties, i = list items, m = merge keys,
 * $ = reference to a definition.
 */
export interface SchemaNode {
  readonly p?: Readonly<Record<string, SchemaNode>>;
  readonly a?: SchemaNode;
  readonly i?: SchemaNode;
  readonly m?: readonly string[];
  readonly $?: string;
}

export const SCHEMA_ROOTS: Readonly<Record<string, string>> = {
 "admissionregistration.k8s.io/v1beta1|MutatingWebhookConfiguration": "io.k8s.api.admissionregistration.v1beta1.MutatingWebhookConfiguration",
 "admissionregistration.k8s.io/v1beta1|ValidatingWebhookConfiguration": "io.k8s.api.admissionregistration.v1beta1.ValidatingWebhookConfiguration",
 "admissionregistration.k8s.io/v1|MutatingWebhookConfiguration": "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration",
 "admissionregistration.k8s.io/v1|ValidatingWebhookConfiguration": "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration",
 "apiextensions.k8s.io/v1beta1|CustomResourceDefinition": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinition",
 "apiextensions.k8s.io/v1|CustomResourceDefinition": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
 "apiregistration.k8s.io/v1beta1|APIService": "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1beta1.APIService",
 "apiregistration.k8s.io/v1|APIService": "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService",
 "apps/v1|ControllerRevision": "io.k8s.api.apps.v1.ControllerRevision",
 "apps/v1|DaemonSet": "io.k8s.api.apps.v1.DaemonSet",
 "apps/v1|Deployment": "io.k8s.api.apps.v1.Deployment",
 "apps/v1|ReplicaSet": "io.k8s.api.apps.v1.ReplicaSet",
 "apps/v1|StatefulSet": "io.k8s.api.apps.v1.StatefulSet",
 "authentication.k8s.io/v1beta1|TokenReview": "io.k8s.api.authentication.v1beta1.TokenReview",
 "authentication.k8s.io/v1|TokenRequest": "io.k8s.api.authentication.v1.TokenRequest",
 "authentication.k8s.io/v1|TokenReview": "io.k8s.api.authentication.v1.TokenReview",
 "authorization.k8s.io/v1beta1|LocalSubjectAccessReview": "io.k8s.api.authorization.v1beta1.LocalSubjectAccessReview",
 "authorization.k8s.io/v1beta1|SelfSubjectAccessReview": "io.k8s.api.authorization.v1beta1.SelfSubjectAccessReview",
 "authorization.k8s.io/v1beta1|SelfSubjectRulesReview": "io.k8s.api.authorization.v1beta1.SelfSubjectRulesReview",
 "authorization.k8s.io/v1beta1|SubjectAccessReview": "io.k8s.api.authorization.v1beta1.SubjectAccessReview",
 "authorization.k8s.io/v1|LocalSubjectAccessReview": "io.k8s.api.authorization.v1.LocalSubjectAccessReview",
 "authorization.k8s.io/v1|SelfSubjectAccessReview": "io.k8s.api.authorization.v1.SelfSubjectAccessReview",
 "authorization.k8s.io/v1|SelfSubjectRulesReview": "io.k8s.api.authorization.v1.SelfSubjectRulesReview",
 "authorization.k8s.io/v1|SubjectAccessReview": "io.k8s.api.authorization.v1.SubjectAccessReview",
 "autoscaling/v1|HorizontalPodAutoscaler": "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler",
 "autoscaling/v1|Scale": "io.k8s.api.autoscaling.v1.Scale",
 "autoscaling/v2beta1|HorizontalPodAutoscaler": "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscaler",
 "autoscaling/v2beta2|HorizontalPodAutoscaler": "io.k8s.api.autoscaling.v2beta2.HorizontalPodAutoscaler",
 "batch/v1beta1|CronJob": "io.k8s.api.batch.v1beta1.CronJob",
 "batch/v1|CronJob": "io.k8s.api.batch.v1.CronJob",
 "batch/v1|Job": "io.k8s.api.batch.v1.Job",
 "certificates.k8s.io/v1beta1|CertificateSigningRequest": "io.k8s.api.certificates.v1beta1.CertificateSigningRequest",
 "certificates.k8s.io/v1|CertificateSigningRequest": "io.k8s.api.certificates.v1.CertificateSigningRequest",
 "coordination.k8s.io/v1beta1|Lease": "io.k8s.api.coordination.v1beta1.Lease",
 "coordination.k8s.io/v1|Lease": "io.k8s.api.coordination.v1.Lease",
 "discovery.k8s.io/v1beta1|EndpointSlice": "io.k8s.api.discovery.v1beta1.EndpointSlice",
 "discovery.k8s.io/v1|EndpointSlice": "io.k8s.api.discovery.v1.EndpointSlice",
 "events.k8s.io/v1beta1|Event": "io.k8s.api.events.v1beta1.Event",
 "events.k8s.io/v1|Event": "io.k8s.api.events.v1.Event",
 "extensions/v1beta1|Ingress": "io.k8s.api.extensions.v1beta1.Ingress",
 "flowcontrol.apiserver.k8s.io/v1beta1|FlowSchema": "io.k8s.api.flowcontrol.v1beta1.FlowSchema",
 "flowcontrol.apiserver.k8s.io/v1beta1|PriorityLevelConfiguration": "io.k8s.api.flowcontrol.v1beta1.PriorityLevelConfiguration",
 "networking.k8s.io/v1beta1|Ingress": "io.k8s.api.networking.v1beta1.Ingress",
 "networking.k8s.io/v1beta1|IngressClass": "io.k8s.api.networking.v1beta1.IngressClass",
 "networking.k8s.io/v1|Ingress": "io.k8s.api.networking.v1.Ingress",
 "networking.k8s.io/v1|IngressClass": "io.k8s.api.networking.v1.IngressClass",
 "networking.k8s.io/v1|NetworkPolicy": "io.k8s.api.networking.v1.NetworkPolicy",
 "node.k8s.io/v1beta1|RuntimeClass": "io.k8s.api.node.v1beta1.RuntimeClass",
 "node.k8s.io/v1|RuntimeClass": "io.k8s.api.node.v1.RuntimeClass",
 "policy/v1beta1|Eviction": "io.k8s.api.policy.v1beta1.Eviction",
 "policy/v1beta1|PodDisruptionBudget": "io.k8s.api.policy.v1beta1.PodDisruptionBudget",
 "policy/v1beta1|PodSecurityPolicy": "io.k8s.api.policy.v1beta1.PodSecurityPolicy",
 "policy/v1|PodDisruptionBudget": "io.k8s.api.policy.v1.PodDisruptionBudget",
 "rbac.authorization.k8s.io/v1beta1|ClusterRole": "io.k8s.api.rbac.v1beta1.ClusterRole",
 "rbac.authorization.k8s.io/v1beta1|ClusterRoleBinding": "io.k8s.api.rbac.v1beta1.ClusterRoleBinding",
 "rbac.authorization.k8s.io/v1beta1|Role": "io.k8s.api.rbac.v1beta1.Role",
 "rbac.authorization.k8s.io/v1beta1|RoleBinding": "io.k8s.api.rbac.v1beta1.RoleBinding",
 "rbac.authorization.k8s.io/v1|ClusterRole": "io.k8s.api.rbac.v1.ClusterRole",
 "rbac.authorization.k8s.io/v1|ClusterRoleBinding": "io.k8s.api.rbac.v1.ClusterRoleBinding",
 "rbac.authorization.k8s.io/v1|Role": "io.k8s.api.rbac.v1.Role",
 "rbac.authorization.k8s.io/v1|RoleBinding": "io.k8s.api.rbac.v1.RoleBinding",
 "scheduling.k8s.io/v1beta1|PriorityClass": "io.k8s.api.scheduling.v1beta1.PriorityClass",
 "scheduling.k8s.io/v1|PriorityClass": "io.k8s.api.scheduling.v1.PriorityClass",
 "storage.k8s.io/v1beta1|CSIDriver": "io.k8s.api.storage.v1beta1.CSIDriver",
 "storage.k8s.io/v1beta1|CSINode": "io.k8s.api.storage.v1beta1.CSINode",
 "storage.k8s.io/v1beta1|CSIStorageCapacity": "io.k8s.api.storage.v1beta1.CSIStorageCapacity",
 "storage.k8s.io/v1beta1|StorageClass": "io.k8s.api.storage.v1beta1.StorageClass",
 "storage.k8s.io/v1beta1|VolumeAttachment": "io.k8s.api.storage.v1beta1.VolumeAttachment",
 "storage.k8s.io/v1|CSIDriver": "io.k8s.api.storage.v1.CSIDriver",
 "storage.k8s.io/v1|CSINode": "io.k8s.api.storage.v1.CSINode",
 "storage.k8s.io/v1|StorageClass": "io.k8s.api.storage.v1.StorageClass",
 "storage.k8s.io/v1|VolumeAttachment": "io.k8s.api.storage.v1.VolumeAttachment",
 "v1|Binding": "io.k8s.api.core.v1.Binding",
 "v1|ComponentStatus": "io.k8s.api.core.v1.ComponentStatus",
 "v1|ConfigMap": "io.k8s.api.core.v1.ConfigMap",
 "v1|Endpoints": "io.k8s.api.core.v1.Endpoints",
 "v1|Event": "io.k8s.api.core.v1.Event",
 "v1|LimitRange": "io.k8s.api.core.v1.LimitRange",
 "v1|Namespace": "io.k8s.api.core.v1.Namespace",
 "v1|Node": "io.k8s.api.core.v1.Node",
 "v1|PersistentVolume": "io.k8s.api.core.v1.PersistentVolume",
 "v1|PersistentVolumeClaim": "io.k8s.api.core.v1.PersistentVolumeClaim",
 "v1|Pod": "io.k8s.api.core.v1.Pod",
 "v1|PodTemplate": "io.k8s.api.core.v1.PodTemplate",
 "v1|ReplicationController": "io.k8s.api.core.v1.ReplicationController",
 "v1|ResourceQuota": "io.k8s.api.core.v1.ResourceQuota",
 "v1|Secret": "io.k8s.api.core.v1.Secret",
 "v1|Service": "io.k8s.api.core.v1.Service",
 "v1|ServiceAccount": "io.k8s.api.core.v1.ServiceAccount"
};

export const SCHEMA_DEFINITIONS: Readonly<Record<string, SchemaNode>> = {
 "io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "webhooks": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "webhooks": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.admissionregistration.v1beta1.MutatingWebhookConfiguration": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "webhooks": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.admissionregistration.v1beta1.ValidatingWebhookConfiguration": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "webhooks": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.apps.v1.ControllerRevision": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.apps.v1.DaemonSet": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.apps.v1.DaemonSetSpec"
   },
   "status": {
    "$": "io.k8s.api.apps.v1.DaemonSetStatus"
   }
  }
 },
 "io.k8s.api.apps.v1.DaemonSetSpec": {
  "p": {
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.apps.v1.DaemonSetStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.apps.v1.Deployment": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.apps.v1.DeploymentSpec"
   },
   "status": {
    "$": "io.k8s.api.apps.v1.DeploymentStatus"
   }
  }
 },
 "io.k8s.api.apps.v1.DeploymentSpec": {
  "p": {
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.apps.v1.DeploymentStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.apps.v1.ReplicaSet": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.apps.v1.ReplicaSetSpec"
   },
   "status": {
    "$": "io.k8s.api.apps.v1.ReplicaSetStatus"
   }
  }
 },
 "io.k8s.api.apps.v1.ReplicaSetSpec": {
  "p": {
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.apps.v1.ReplicaSetStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.apps.v1.StatefulSet": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.apps.v1.StatefulSetSpec"
   },
   "status": {
    "$": "io.k8s.api.apps.v1.StatefulSetStatus"
   }
  }
 },
 "io.k8s.api.apps.v1.StatefulSetSpec": {
  "p": {
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.apps.v1.StatefulSetStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.authentication.v1.TokenRequest": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authentication.v1.TokenReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authentication.v1beta1.TokenReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1.LocalSubjectAccessReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1.SelfSubjectAccessReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1.SelfSubjectRulesReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1.SubjectAccessReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1beta1.LocalSubjectAccessReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1beta1.SelfSubjectAccessReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1beta1.SelfSubjectRulesReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.authorization.v1beta1.SubjectAccessReview": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.autoscaling.v1.Scale": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.autoscaling.v2beta1.HorizontalPodAutoscaler": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.autoscaling.v2beta2.HorizontalPodAutoscaler": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.batch.v1.CronJob": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.batch.v1.CronJobSpec"
   }
  }
 },
 "io.k8s.api.batch.v1.CronJobSpec": {
  "p": {
   "jobTemplate": {
    "$": "io.k8s.api.batch.v1.JobTemplateSpec"
   }
  }
 },
 "io.k8s.api.batch.v1.Job": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.batch.v1.JobSpec"
   },
   "status": {
    "$": "io.k8s.api.batch.v1.JobStatus"
   }
  }
 },
 "io.k8s.api.batch.v1.JobSpec": {
  "p": {
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.batch.v1.JobStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.batch.v1.JobTemplateSpec": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.batch.v1.JobSpec"
   }
  }
 },
 "io.k8s.api.batch.v1beta1.CronJob": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.batch.v1beta1.CronJobSpec"
   }
  }
 },
 "io.k8s.api.batch.v1beta1.CronJobSpec": {
  "p": {
   "jobTemplate": {
    "$": "io.k8s.api.batch.v1beta1.JobTemplateSpec"
   }
  }
 },
 "io.k8s.api.batch.v1beta1.JobTemplateSpec": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.batch.v1.JobSpec"
   }
  }
 },
 "io.k8s.api.certificates.v1.CertificateSigningRequest": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.certificates.v1beta1.CertificateSigningRequest": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.coordination.v1.Lease": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.coordination.v1beta1.Lease": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.Binding": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.ComponentStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   },
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.ConfigMap": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.Container": {
  "p": {
   "env": {
    "m": [
     "name"
    ]
   },
   "ports": {
    "m": [
     "containerPort",
     "protocol"
    ]
   },
   "volumeDevices": {
    "m": [
     "devicePath"
    ]
   },
   "volumeMounts": {
    "m": [
     "mountPath"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.Endpoints": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.EphemeralContainer": {
  "p": {
   "env": {
    "m": [
     "name"
    ]
   },
   "volumeDevices": {
    "m": [
     "devicePath"
    ]
   },
   "volumeMounts": {
    "m": [
     "mountPath"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.EphemeralVolumeSource": {
  "p": {
   "volumeClaimTemplate": {
    "$": "io.k8s.api.core.v1.PersistentVolumeClaimTemplate"
   }
  }
 },
 "io.k8s.api.core.v1.Event": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.LimitRange": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.Namespace": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "status": {
    "$": "io.k8s.api.core.v1.NamespaceStatus"
   }
  }
 },
 "io.k8s.api.core.v1.NamespaceStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.Node": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.core.v1.NodeSpec"
   },
   "status": {
    "$": "io.k8s.api.core.v1.NodeStatus"
   }
  }
 },
 "io.k8s.api.core.v1.NodeSpec": {
  "p": {
   "podCIDRs": {
    "m": []
   }
  }
 },
 "io.k8s.api.core.v1.NodeStatus": {
  "p": {
   "addresses": {
    "m": [
     "type"
    ]
   },
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.PersistentVolume": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.PersistentVolumeClaim": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "status": {
    "$": "io.k8s.api.core.v1.PersistentVolumeClaimStatus"
   }
  }
 },
 "io.k8s.api.core.v1.PersistentVolumeClaimStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.PersistentVolumeClaimTemplate": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.Pod": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.core.v1.PodSpec"
   },
   "status": {
    "$": "io.k8s.api.core.v1.PodStatus"
   }
  }
 },
 "io.k8s.api.core.v1.PodSpec": {
  "p": {
   "containers": {
    "i": {
     "$": "io.k8s.api.core.v1.Container"
    },
    "m": [
     "name"
    ]
   },
   "ephemeralContainers": {
    "i": {
     "$": "io.k8s.api.core.v1.EphemeralContainer"
    },
    "m": [
     "name"
    ]
   },
   "hostAliases": {
    "m": [
     "ip"
    ]
   },
   "imagePullSecrets": {
    "m": [
     "name"
    ]
   },
   "initContainers": {
    "i": {
     "$": "io.k8s.api.core.v1.Container"
    },
    "m": [
     "name"
    ]
   },
   "topologySpreadConstraints": {
    "m": [
     "topologyKey",
     "whenUnsatisfiable"
    ]
   },
   "volumes": {
    "i": {
     "$": "io.k8s.api.core.v1.Volume"
    },
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.PodStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   },
   "podIPs": {
    "m": [
     "ip"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.PodTemplate": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.core.v1.PodTemplateSpec": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.core.v1.PodSpec"
   }
  }
 },
 "io.k8s.api.core.v1.ReplicationController": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.core.v1.ReplicationControllerSpec"
   },
   "status": {
    "$": "io.k8s.api.core.v1.ReplicationControllerStatus"
   }
  }
 },
 "io.k8s.api.core.v1.ReplicationControllerSpec": {
  "p": {
   "template": {
    "$": "io.k8s.api.core.v1.PodTemplateSpec"
   }
  }
 },
 "io.k8s.api.core.v1.ReplicationControllerStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.ResourceQuota": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.Secret": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.core.v1.Service": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.core.v1.ServiceSpec"
   },
   "status": {
    "$": "io.k8s.api.core.v1.ServiceStatus"
   }
  }
 },
 "io.k8s.api.core.v1.ServiceAccount": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "secrets": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.ServiceSpec": {
  "p": {
   "ports": {
    "m": [
     "port",
     "protocol"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.ServiceStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.core.v1.Volume": {
  "p": {
   "ephemeral": {
    "$": "io.k8s.api.core.v1.EphemeralVolumeSource"
   }
  }
 },
 "io.k8s.api.discovery.v1.EndpointSlice": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.discovery.v1beta1.EndpointSlice": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.events.v1.Event": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.events.v1beta1.Event": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.extensions.v1beta1.Ingress": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.flowcontrol.v1beta1.FlowSchema": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.flowcontrol.v1beta1.PriorityLevelConfiguration": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.networking.v1.Ingress": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.networking.v1.IngressClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.networking.v1.NetworkPolicy": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.networking.v1beta1.Ingress": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.networking.v1beta1.IngressClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.node.v1.RuntimeClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.node.v1beta1.RuntimeClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.policy.v1.PodDisruptionBudget": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "status": {
    "$": "io.k8s.api.policy.v1.PodDisruptionBudgetStatus"
   }
  }
 },
 "io.k8s.api.policy.v1.PodDisruptionBudgetStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.policy.v1beta1.Eviction": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.policy.v1beta1.PodDisruptionBudget": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "status": {
    "$": "io.k8s.api.policy.v1beta1.PodDisruptionBudgetStatus"
   }
  }
 },
 "io.k8s.api.policy.v1beta1.PodDisruptionBudgetStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.api.policy.v1beta1.PodSecurityPolicy": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1.ClusterRole": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1.ClusterRoleBinding": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1.Role": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1.RoleBinding": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1beta1.ClusterRole": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1beta1.ClusterRoleBinding": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1beta1.Role": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.rbac.v1beta1.RoleBinding": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.scheduling.v1.PriorityClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.scheduling.v1beta1.PriorityClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1.CSIDriver": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1.CSINode": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.storage.v1.CSINodeSpec"
   }
  }
 },
 "io.k8s.api.storage.v1.CSINodeSpec": {
  "p": {
   "drivers": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.storage.v1.StorageClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1.VolumeAttachment": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1beta1.CSIDriver": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1beta1.CSINode": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.api.storage.v1beta1.CSINodeSpec"
   }
  }
 },
 "io.k8s.api.storage.v1beta1.CSINodeSpec": {
  "p": {
   "drivers": {
    "m": [
     "name"
    ]
   }
  }
 },
 "io.k8s.api.storage.v1beta1.CSIStorageCapacity": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1beta1.StorageClass": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.api.storage.v1beta1.VolumeAttachment": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   }
  }
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinition": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "spec": {
    "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinitionSpec"
   }
  }
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinitionSpec": {
  "p": {
   "validation": {
    "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceValidation"
   }
  }
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceValidation": {
  "p": {
   "openAPIV3Schema": {
    "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps"
   }
  }
 },
 "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps": {
  "p": {
   "definitions": {
    "a": {
     "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps"
    }
   },
   "not": {
    "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps"
   },
   "patternProperties": {
    "a": {
     "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps"
    }
   },
   "properties": {
    "a": {
     "$": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSONSchemaProps"
    }
   }
  }
 },
 "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
  "p": {
   "finalizers": {
    "m": []
   },
   "ownerReferences": {
    "m": [
     "uid"
    ]
   }
  }
 },
 "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "status": {
    "$": "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus"
   }
  }
 },
 "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 },
 "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1beta1.APIService": {
  "p": {
   "metadata": {
    "$": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
   },
   "status": {
    "$": "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1beta1.APIServiceStatus"
   }
  }
 },
 "io.k8s.kube-aggregator.pkg.apis.apiregistration.v1beta1.APIServiceStatus": {
  "p": {
   "conditions": {
    "m": [
     "type"
    ]
   }
  }
 }
};

/** apiVersion|kind pairs the document lists only at cluster scope. */
export const CLUSTER_SCOPED_KINDS: readonly string[] = [
 "admissionregistration.k8s.io/v1beta1|MutatingWebhookConfiguration",
 "admissionregistration.k8s.io/v1beta1|ValidatingWebhookConfiguration",
 "admissionregistration.k8s.io/v1|MutatingWebhookConfiguration",
 "admissionregistration.k8s.io/v1|ValidatingWebhookConfiguration",
 "apiextensions.k8s.io/v1beta1|CustomResourceDefinition",
 "apiextensions.k8s.io/v1|CustomResourceDefinition",
 "apiregistration.k8s.io/v1beta1|APIService",
 "apiregistration.k8s.io/v1|APIService",
 "certificates.k8s.io/v1beta1|CertificateSigningRequest",
 "certificates.k8s.io/v1|CertificateSigningRequest",
 "flowcontrol.apiserver.k8s.io/v1beta1|FlowSchema",
 "flowcontrol.apiserver.k8s.io/v1beta1|PriorityLevelConfiguration",
 "networking.k8s.io/v1beta1|IngressClass",
 "networking.k8s.io/v1|IngressClass",
 "node.k8s.io/v1beta1|RuntimeClass",
 "node.k8s.io/v1|RuntimeClass",
 "policy/v1beta1|PodSecurityPolicy",
 "rbac.authorization.k8s.io/v1beta1|ClusterRole",
 "rbac.authorization.k8s.io/v1beta1|ClusterRoleBinding",
 "rbac.authorization.k8s.io/v1|ClusterRole",
 "rbac.authorization.k8s.io/v1|ClusterRoleBinding",
 "scheduling.k8s.io/v1beta1|PriorityClass",
 "scheduling.k8s.io/v1|PriorityClass",
 "storage.k8s.io/v1beta1|CSIDriver",
 "storage.k8s.io/v1beta1|CSINode",
 "storage.k8s.io/v1beta1|StorageClass",
 "storage.k8s.io/v1beta1|VolumeAttachment",
 "storage.k8s.io/v1|CSIDriver",
 "storage.k8s.io/v1|CSINode",
 "storage.k8s.io/v1|StorageClass",
 "storage.k8s.io/v1|VolumeAttachment",
 "v1|ComponentStatus",
 "v1|Namespace",
 "v1|Node",
 "v1|NodeProxyOptions",
 "v1|PersistentVolume"
];

/**
 * apiVersion|kind pairs the document lists at namespace scope. With CLUSTER_SCOPED_KINDS, the
 * kinds whose scope kyaml knows without loading a schema (its precomputed table).
 */
export const NAMESPACE_SCOPED_KINDS: readonly string[] = [
 "apps/v1|ControllerRevision",
 "apps/v1|DaemonSet",
 "apps/v1|Deployment",
 "apps/v1|ReplicaSet",
 "apps/v1|StatefulSet",
 "autoscaling/v1|HorizontalPodAutoscaler",
 "autoscaling/v1|Scale",
 "autoscaling/v2beta1|HorizontalPodAutoscaler",
 "autoscaling/v2beta2|HorizontalPodAutoscaler",
 "batch/v1beta1|CronJob",
 "batch/v1|CronJob",
 "batch/v1|Job",
 "coordination.k8s.io/v1beta1|Lease",
 "coordination.k8s.io/v1|Lease",
 "discovery.k8s.io/v1beta1|EndpointSlice",
 "discovery.k8s.io/v1|EndpointSlice",
 "events.k8s.io/v1beta1|Event",
 "events.k8s.io/v1|Event",
 "extensions/v1beta1|Ingress",
 "networking.k8s.io/v1beta1|Ingress",
 "networking.k8s.io/v1|Ingress",
 "networking.k8s.io/v1|NetworkPolicy",
 "policy/v1beta1|PodDisruptionBudget",
 "policy/v1|PodDisruptionBudget",
 "rbac.authorization.k8s.io/v1beta1|Role",
 "rbac.authorization.k8s.io/v1beta1|RoleBinding",
 "rbac.authorization.k8s.io/v1|Role",
 "rbac.authorization.k8s.io/v1|RoleBinding",
 "storage.k8s.io/v1beta1|CSIStorageCapacity",
 "v1|ConfigMap",
 "v1|Endpoints",
 "v1|Event",
 "v1|LimitRange",
 "v1|PersistentVolumeClaim",
 "v1|Pod",
 "v1|PodAttachOptions",
 "v1|PodExecOptions",
 "v1|PodPortForwardOptions",
 "v1|PodProxyOptions",
 "v1|PodTemplate",
 "v1|ReplicationController",
 "v1|ResourceQuota",
 "v1|Secret",
 "v1|Service",
 "v1|ServiceAccount",
 "v1|ServiceProxyOptions"
];
