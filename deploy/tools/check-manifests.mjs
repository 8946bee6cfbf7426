// Validates rendered Kubernetes manifests offline, then enforces vetrack's
// deployment policy. Usage: node check-manifests.mjs RENDERED.yaml...
//   1. every object against the Kubernetes schemas (kubernetes-models);
//   2. every container: startup, readiness and liveness probes; cpu and memory
//      requests and limits; non-root, read-only root, no privilege escalation,
//      all capabilities dropped, seccomp RuntimeDefault;
//   3. every Deployment: a PodDisruptionBudget and a HorizontalPodAutoscaler,
//      no spec.replicas (the autoscaler owns the count: an apply would reset
//      it), and a termination grace period longer than its drain; every
//      StatefulSet a PodDisruptionBudget;
//   4. a workload annotated vetrack.io/singleton (one writer, e.g. the exchange
//      checkpoint): a StatefulSet of exactly one replica that nothing scales;
//   5. every Job and CronJob: the container hardening of 2 (no probes).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

async function schemaCheck(file, obj) {
  const [group, version] = obj.apiVersion.includes("/")
    ? obj.apiVersion.split("/")
    : [null, obj.apiVersion];
  const module = `kubernetes-models/${group ? `${group}/` : ""}${version}/${obj.kind}`;
  let Model;
  try {
    Model = (await import(module)).default ?? (await import(module))[obj.kind];
  } catch {
    problem(`${file} ${obj.kind}/${obj.metadata?.name}`, `no schema for ${obj.apiVersion} ${obj.kind}`);
    return;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    problem(`${file} ${obj.kind}/${obj.metadata?.name}`, `schema: ${e.message.split("\n").slice(0, 6).join(" ")}`);
  }
}

function podPolicy(where, pod, drainSeconds, { probes = true } = {}) {
  const podSc = pod.securityContext ?? {};
  for (const c of pod.containers ?? []) {
    const at = `${where} container ${c.name}`;
    for (const probe of probes ? ["startupProbe", "readinessProbe", "livenessProbe"] : []) {
      if (!c[probe]) problem(at, `missing ${probe}`);
    }
    for (const kind of ["requests", "limits"]) {
      for (const res of ["cpu", "memory"]) {
        if (!c.resources?.[kind]?.[res]) problem(at, `missing resources.${kind}.${res}`);
      }
    }
    const sc = c.securityContext ?? {};
    if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) problem(at, "runAsNonRoot is not true");
    if (sc.readOnlyRootFilesystem !== true) problem(at, "readOnlyRootFilesystem is not true");
    if (sc.allowPrivilegeEscalation !== false) problem(at, "allowPrivilegeEscalation is not false");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problem(at, "capabilities.drop lacks ALL");
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault") problem(at, "seccompProfile is not RuntimeDefault");
  }
  if (drainSeconds !== undefined) {
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (grace <= drainSeconds) problem(where, `terminationGracePeriodSeconds ${grace} <= drain ${drainSeconds}s`);
  }
}

for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const objects = docs.map((d) => d.toJS()).filter(Boolean);
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const configMaps = Object.fromEntries(byKind("ConfigMap").map((c) => [c.metadata.name, c.data ?? {}]));

  for (const obj of objects) await schemaCheck(file, obj);

  for (const workload of [...byKind("Deployment"), ...byKind("StatefulSet")]) {
    const where = `${file} ${workload.kind}/${workload.metadata.name}`;
    const pod = workload.spec.template.spec;
    const drain = Number(configMaps[workload.metadata.name]?.VETRACK_DRAIN_SECONDS);
    // The gateway drains HTTP/JSON first and gRPC after, each up to the drain
    // time; everything has the 5 s preStop before.
    const drains = workload.metadata.name === "gateway" ? 2 : 1;
    podPolicy(where, pod, Number.isFinite(drain) ? drains * drain + 5 : undefined);
  }
  // A job runs to completion: no probes, the same hardening.
  for (const cron of byKind("CronJob")) {
    const where = `${file} CronJob/${cron.metadata.name}`;
    const pod = cron.spec.jobTemplate.spec.template.spec;
    podPolicy(where, pod, undefined, { probes: false });
    if (cron.spec.concurrencyPolicy !== "Forbid") problem(where, "concurrencyPolicy is not Forbid");
  }
  for (const job of byKind("Job")) {
    podPolicy(`${file} Job/${job.metadata.name}`, job.spec.template.spec, undefined, { probes: false });
  }
  for (const w of [...byKind("Deployment"), ...byKind("StatefulSet")]) {
    const name = w.metadata.name;
    const selects = (o) => o.spec?.selector?.matchLabels?.["app.kubernetes.io/name"] === name;
    if (!byKind("PodDisruptionBudget").some(selects)) problem(`${file} ${w.kind}/${name}`, "no PodDisruptionBudget");
  }
  for (const d of byKind("Deployment")) {
    const name = d.metadata.name;
    if (!byKind("HorizontalPodAutoscaler").some((h) => h.spec.scaleTargetRef.name === name)) {
      problem(`${file} Deployment/${name}`, "no HorizontalPodAutoscaler");
    } else if (d.spec.replicas !== undefined) {
      problem(`${file} Deployment/${name}`, "sets spec.replicas, which its HorizontalPodAutoscaler owns (every apply would reset it)");
    }
  }
  for (const w of [...byKind("Deployment"), ...byKind("StatefulSet")]) {
    if (w.metadata.annotations?.["vetrack.io/singleton"] !== "true") continue;
    const where = `${file} ${w.kind}/${w.metadata.name}`;
    if (w.kind !== "StatefulSet") problem(where, "a singleton must be a StatefulSet (a Deployment surges to two during a rollout)");
    if ((w.spec.replicas ?? 1) !== 1) problem(where, `a singleton runs 1 replica, not ${w.spec.replicas}`);
    if (byKind("HorizontalPodAutoscaler").some((h) => h.spec.scaleTargetRef.name === w.metadata.name)) {
      problem(where, "a singleton must not be autoscaled");
    }
  }
  // The registry's deadline after a quarter and the gateway's default quarter
  // are one rule read by two services.
  const grace = ["task-registry", "gateway"].map((n) => configMaps[n]?.VETRACK_GRACE_DAYS ?? "10");
  if (grace[0] !== grace[1]) {
    problem(file, `VETRACK_GRACE_DAYS differs: task-registry ${grace[0]}, gateway ${grace[1]}`);
  }
  if (!byKind("NetworkPolicy").some((p) => p.metadata.name === "default-deny")) {
    problem(file, "no default-deny NetworkPolicy");
  }
  console.log(`${file}: ${objects.length} objects checked`);
}

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
