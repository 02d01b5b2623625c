// Offline validation of the manifests in deploy/kubernetes (no cluster, no network):
//  1. each document against the Kubernetes OpenAPI JSON schema (kubernetes-models: types, required
//     fields, enums, formats);
//  2. unknown fields, which the schema allows but the API server drops (a typo such as
//     "readOnlyRootFileSystem" would silently do nothing), using @kubernetes/client-node's model
//     metadata (only its generated models are loaded: its main entry needs Node 22);
//  3. Pier's own rules: probes on Actuator's health groups through a declared port, selectors that
//     match, and terminationGracePeriodSeconds > PIER_SHUTDOWN_DELAY + the shutdown phase timeout.
// Usage: cd deploy/kubernetes/validate && npm install && node validate.mjs [files...]
// (exact versions are pinned in package.json; no lock file is kept)
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const manifestDir = join(here, "..");
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(manifestDir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml").sort().map((f) => join(manifestDir, f));

let problems = 0;
const fail = (where, message) => { problems++; console.log(`  FAIL ${where}: ${message}`); };

// --- 1. JSON schema -----------------------------------------------------------------------------
async function schemaModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  return (await import(path))[kind];
}

// --- 2. unknown fields --------------------------------------------------------------------------
const modelCache = new Map();
async function attributes(type) {
  if (!modelCache.has(type)) {
    let map = null;
    try {
      const module = await import(`@kubernetes/client-node/dist/gen/models/${type}.js`);
      map = module[type].getAttributeTypeMap();
    } catch { /* not a model */ }
    modelCache.set(type, map);
  }
  return modelCache.get(type);
}
const PRIMITIVES = new Set(["string", "number", "boolean", "Date", "any", "object", "IntOrString"]);
async function walk(value, type, path, where) {
  if (value === null || value === undefined || PRIMITIVES.has(type)) return;
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) {
    if (!Array.isArray(value)) return fail(where, `${path} should be a list`);
    for (let i = 0; i < value.length; i++) await walk(value[i], m[1], `${path}[${i}]`, where);
    return;
  }
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) {
    for (const [k, v] of Object.entries(value)) await walk(v, m[1], `${path}.${k}`, where);
    return;
  }
  const map = await attributes(type);
  if (!map) return;
  if (typeof value !== "object" || Array.isArray(value)) return fail(where, `${path} should be an object (${type})`);
  const known = new Map(map.map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k)) fail(where, `unknown field ${path}.${k} (not in ${type})`);
    else await walk(v, known.get(k), `${path}.${k}`, where);
  }
}
const clientModelName = (apiVersion, kind) => {
  const version = apiVersion.split("/").pop();
  return version.charAt(0).toUpperCase() + version.slice(1) + kind;
};

// --- 3. Pier's rules ----------------------------------------------------------------------------
const seconds = (duration) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(duration).trim());
  if (!m) return NaN;
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 }[m[2] ?? "ms"]); // Spring reads a bare number as milliseconds
};
function checkPier(docs) {
  const byKind = (k) => docs.filter((d) => d.doc.kind === k);
  for (const { doc, where } of byKind("Deployment")) {
    const spec = doc.spec, pod = spec.template.spec;
    const labels = spec.template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(spec.selector.matchLabels ?? {})) {
      if (labels[k] !== v) fail(where, `selector ${k}=${v} does not match the pod template's labels`);
    }
    const container = pod.containers.find((c) => c.name === "pier");
    if (!container) { fail(where, "no container named pier"); continue; }
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    const ports = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
    const expected = { startupProbe: /^\/actuator\/health\/(liveness|readiness)$|^\/(livez|readyz)$/,
      livenessProbe: /^\/actuator\/health\/liveness$|^\/livez$/, readinessProbe: /^\/actuator\/health\/readiness$|^\/readyz$/ };
    for (const [probe, pattern] of Object.entries(expected)) {
      const get = container[probe]?.httpGet;
      if (!get) { fail(where, `${probe} is missing or not an httpGet`); continue; }
      if (!pattern.test(get.path)) fail(where, `${probe} path ${get.path} is not a ${probe.replace("Probe", "")} health group`);
      const port = typeof get.port === "string" ? ports.get(get.port) : get.port;
      if (port === undefined) { fail(where, `${probe} uses port ${get.port}, which the container does not declare`); continue; }
      const mgmt = env.MANAGEMENT_SERVER_PORT ? Number(env.MANAGEMENT_SERVER_PORT) : undefined;
      const actuatorPort = mgmt ?? Number(env.SERVER_PORT ?? 8080);
      if (get.path.startsWith("/actuator") && port !== actuatorPort) fail(where, `${probe} targets port ${port} but Actuator listens on ${actuatorPort}`);
    }
    const delay = seconds(env.PIER_SHUTDOWN_DELAY ?? "0s");
    const phase = seconds(env.SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE ?? "30s");
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (!(delay < phase)) fail(where, `PIER_SHUTDOWN_DELAY (${delay}s) must be shorter than the shutdown phase timeout (${phase}s)`);
    if (!(grace > phase)) fail(where, `terminationGracePeriodSeconds (${grace}s) must exceed the shutdown phase timeout (${phase}s), which already includes the delay`);
    if (!container.resources?.limits?.memory) fail(where, "no memory limit: -XX:MaxRAMPercentage would size the heap from the node's memory");
    const sc = container.securityContext ?? {};
    if (sc.readOnlyRootFilesystem && !(container.volumeMounts ?? []).some((v) => v.mountPath === "/tmp")) fail(where, "read-only root file system without a writable /tmp");
    for (const vol of pod.volumes ?? []) {
      if (!vol.configMap) continue;
      const cm = byKind("ConfigMap").find((c) => c.doc.metadata.name === vol.configMap.name);
      if (!cm) { fail(where, `volume ${vol.name} uses ConfigMap ${vol.configMap.name}, which is not among the manifests`); continue; }
      for (const item of vol.configMap.items ?? []) {
        if (!(item.key in (cm.doc.data ?? {}))) fail(where, `volume ${vol.name} maps key ${item.key}, missing from ConfigMap ${cm.doc.metadata.name}`);
      }
    }
    for (const { doc: svc, where: sw } of byKind("Service")) {
      for (const [k, v] of Object.entries(svc.spec.selector ?? {})) if (labels[k] !== v) fail(sw, `selector ${k}=${v} selects no Pier pod`);
      for (const p of svc.spec.ports ?? []) if (typeof p.targetPort === "string" && !ports.has(p.targetPort)) fail(sw, `targetPort ${p.targetPort} is not a container port`);
    }
    for (const { doc: pdb, where: pw } of byKind("PodDisruptionBudget")) {
      if (pdb.spec.minAvailable !== undefined && pdb.spec.maxUnavailable !== undefined) fail(pw, "minAvailable and maxUnavailable are mutually exclusive");
      for (const [k, v] of Object.entries(pdb.spec.selector?.matchLabels ?? {})) if (labels[k] !== v) fail(pw, `selector ${k}=${v} selects no Pier pod`);
    }
    for (const { doc: hpa, where: hw } of byKind("HorizontalPodAutoscaler")) {
      const ref = hpa.spec.scaleTargetRef;
      if (ref.kind !== "Deployment" || ref.name !== doc.metadata.name) fail(hw, `scaleTargetRef ${ref.kind}/${ref.name} is not this Deployment`);
      if (hpa.spec.metrics?.some((m) => m.resource?.name === "cpu") && !container.resources?.requests?.cpu) fail(hw, "CPU utilization needs a CPU request on the container");
    }
  }
}

// --- run ----------------------------------------------------------------------------------------
const docs = [];
for (const file of files) {
  const parsed = parseAllDocuments(readFileSync(file, "utf8"));
  parsed.forEach((d, i) => {
    const where = `${basename(file)}${parsed.length > 1 ? `#${i}` : ""}`;
    if (d.errors.length) return fail(where, d.errors.map((e) => e.message).join("; "));
    const doc = d.toJS();
    if (doc && doc.kind !== "Kustomization") docs.push({ doc, where });
  });
}
for (const { doc, where } of docs) {
  console.log(`${where}: ${doc.apiVersion} ${doc.kind} ${doc.metadata?.name}`);
  let Model;
  try { Model = await schemaModel(doc.apiVersion, doc.kind); } catch { fail(where, `no schema for ${doc.apiVersion} ${doc.kind}`); continue; }
  try { new Model(doc).validate(); console.log("  ok   schema"); } catch (e) {
    fail(where, `schema: ${(e.errors ?? [e]).map((x) => `${x.instancePath ?? ""} ${x.message}`).join("; ")}`);
  }
  const before = problems;
  await walk(doc, clientModelName(doc.apiVersion, doc.kind), doc.kind, where);
  if (problems === before) console.log("  ok   no unknown fields");
}
const before = problems;
checkPier(docs);
if (problems === before) console.log("Pier rules: ok (probes, ports, selectors, ConfigMap keys, shutdown timing, resources)");
console.log(problems === 0 ? `${docs.length} documents valid` : `${problems} problem(s) in ${docs.length} documents`);
process.exit(problems === 0 ? 0 : 1);
