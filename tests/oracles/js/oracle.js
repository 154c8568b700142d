// The JavaScript v3 oracle: @aws-sdk/credential-provider-node's defaultProvider, offline.
//
// usage: node oracle.js NODE_MODULES_PARENT   (scripts/setup-oracles.sh installs the pinned
//        packages into .oracles/js; tests/differential/run_sdk.py starts this program)
//
// Reads one JSON object per line on stdin, {"dir", "env", "profile"}: dir holds the
// scenario's files (dir/home is HOME), env is the complete process environment, profile the
// profile passed in code (defaultProvider({profile})). Writes one JSON line per scenario:
// {"provider": [credential feature names from $source], "access_key": redacted|null,
//  "error": class|null, "message", "calls": [...]}.
//
// Bearer mode: a scenario with "service": "bedrock-runtime" builds a BedrockRuntimeClient
// (@aws-sdk/client-bedrock-runtime) instead, region us-east-1 and the scenario's profile in
// code, "auth_preference" (a list, or null) as authSchemePreference in code, and sends
// ListAsyncInvokes. Its request handler refuses the request and keeps its headers: the answer
// is {"scheme": "bearer", "token": redacted} when it carries `Authorization: Bearer`, else
// {"scheme": "sigv4", "key": redacted key id from the SigV4 Credential=} with "provider" and
// "calls" as above (the identity's $source features), or "error" when the client cannot sign
// or send.
//
// Nothing leaves the process. Before the SDK is loaded, http/https.request and get, net and
// tls connections, dns lookups and child_process are replaced: a request is recorded in
// `calls` (host, path and the STS Action) and fails at once with ECONNREFUSED; a command
// (credential_process) is recorded and answers stand-in credentials whose key id the
// harness recognises, without running anything.
"use strict";
const path = require("node:path");
const EventEmitter = require("node:events");
const http = require("node:http");
const https = require("node:https");
const net = require("node:net");
const tls = require("node:tls");
const dns = require("node:dns");
const childProcess = require("node:child_process");
const readline = require("node:readline");
const { createRequire } = require("node:module");

const STAND_IN = "STANDINKEYNOTREAL0000";
let calls = [];

class RefusedRequest extends EventEmitter {
  constructor(where) {
    super();
    this.where = where;
    this.body = "";
    this.destroyed = false;
  }
  write(chunk) {
    if (chunk) this.body += chunk.toString();
    return true;
  }
  end(chunk) {
    if (chunk && typeof chunk !== "function") this.body += chunk.toString();
    const action = /(?:^|&)Action=([^&]*)/.exec(this.body);
    calls.push(this.where + (action ? ` Action=${action[1]}` : ""));
    process.nextTick(() => {
      const err = Object.assign(new Error(`connect ECONNREFUSED ${this.where} (credlint oracle)`), {
        code: "ECONNREFUSED",
      });
      this.emit("error", err);
    });
    return this;
  }
  setTimeout() { return this; }
  setNoDelay() { return this; }
  setSocketKeepAlive() { return this; }
  setHeader() {}
  getHeader() { return undefined; }
  removeHeader() {}
  flushHeaders() {}
  abort() { this.destroyed = true; }
  destroy() { this.destroyed = true; return this; }
}

function describe(scheme, a, b) {
  let u = a;
  if (typeof a === "string" || a instanceof URL) {
    const url = new URL(a.toString());
    return `${scheme}//${url.host}${url.pathname}`;
  }
  u = a || b || {};
  const host = u.hostname || u.host || "localhost";
  const port = u.port ? `:${u.port}` : "";
  return `${scheme}//${host}${port}${(u.path || "/").split("?")[0]}`;
}

for (const [mod, scheme] of [[http, "http:"], [https, "https:"]]) {
  mod.request = (a, b) => new RefusedRequest(describe(scheme, a, b));
  mod.get = (a, b) => {
    const req = new RefusedRequest(describe(scheme, a, b));
    req.end();
    return req;
  };
}
const refuseSocket = (what) => () => {
  calls.push(what);
  throw Object.assign(new Error(`${what} refused (credlint oracle)`), { code: "ECONNREFUSED" });
};
net.connect = net.createConnection = refuseSocket("net.connect");
tls.connect = refuseSocket("tls.connect");
dns.lookup = refuseSocket("dns.lookup");
childProcess.exec = (command, options, callback) => {
  const cb = typeof options === "function" ? options : callback;
  calls.push(`process: ${command}`);
  const stdout = JSON.stringify({ Version: 1, AccessKeyId: STAND_IN, SecretAccessKey: "stand-in" });
  process.nextTick(() => cb(null, { stdout, stderr: "" }));
};
for (const name of ["execFile", "spawn", "fork", "execSync", "execFileSync", "spawnSync"]) {
  childProcess[name] = refuseSocket(`child_process.${name}`);
}

const sdkRequire = createRequire(path.join(path.resolve(process.argv[2] || "."), "package.json"));
const { defaultProvider } = sdkRequire("@aws-sdk/credential-provider-node");
let bedrock = null; // loaded on the first bearer-mode scenario

function redact(key) {
  if (typeof key !== "string") return null;
  const chars = Array.from(key);
  return chars.length >= 12 ? `${chars.slice(0, 4).join("")}****${chars.slice(-4).join("")}` : "****";
}

// A bearer token as credlint shows one: a Bedrock API key keeps its prefix and last four.
function redactToken(token) {
  const chars = Array.from(token);
  const tail = chars.slice(-4).join("");
  for (const prefix of ["ABSK", "bedrock-api-key-"]) if (token.startsWith(prefix)) return `${prefix}****${tail}`;
  return chars.length >= 16 ? `****${tail}` : "****";
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function run(scenario) {
  calls = [];
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, scenario.env || {});
  process.chdir(scenario.dir);
  if (scenario.service === "bedrock-runtime") return runClient(scenario);
  // One attempt per request: the first refused call decides the verdict, retries only cost time.
  const init = { logger: silent, clientConfig: { maxAttempts: 1 }, maxRetries: 0 };
  if (scenario.profile !== null && scenario.profile !== undefined) init.profile = scenario.profile;
  try {
    const creds = await defaultProvider(init)();
    const key = creds.accessKeyId === STAND_IN ? null : redact(creds.accessKeyId);
    return { provider: Object.keys(creds.$source || {}), access_key: key, error: null, message: null, calls };
  } catch (e) {
    const cls = (e && (e.name || (e.constructor && e.constructor.name))) || typeof e;
    return { provider: null, access_key: null, error: cls, message: String(e && e.message), calls };
  }
}

class Caught extends Error {}

// One call of a Bedrock Runtime client, caught in its request handler.
async function runClient(scenario) {
  bedrock = bedrock || sdkRequire("@aws-sdk/client-bedrock-runtime");
  let headers = null;
  let identity = null;
  const config = {
    region: "us-east-1",
    logger: silent,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request) => {
        headers = request.headers;
        throw new Caught("caught before sending");
      },
    },
  };
  if (scenario.profile !== null && scenario.profile !== undefined) config.profile = scenario.profile;
  if (Array.isArray(scenario.auth_preference)) config.authSchemePreference = scenario.auth_preference;
  const client = new bedrock.BedrockRuntimeClient(config);
  // Wraps every step: after the call, the context says which identity was signed with.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } finally {
        const chosen = (context.__smithy_context || {}).selectedHttpAuthScheme;
        identity = chosen ? chosen.identity : null;
      }
    },
    { step: "initialize", priority: "high", name: "credlintOracleIdentity" },
  );
  try {
    await client.send(new bedrock.ListAsyncInvokesCommand({}));
    return { error: "NoRequest", message: "the request was not caught", calls };
  } catch (e) {
    if (!(e instanceof Caught) || headers === null) {
      const cls = (e && (e.name || (e.constructor && e.constructor.name))) || typeof e;
      return { error: cls, message: String(e && e.message), calls };
    }
  }
  const auth = headers.authorization || headers.Authorization || "";
  if (auth.startsWith("Bearer ")) return { scheme: "bearer", token: redactToken(auth.slice(7)), calls };
  const m = /Credential=([^/]*)\//.exec(auth);
  const key = m && m[1] !== STAND_IN ? redact(m[1]) : null;
  const source = (identity && identity.$source) || {};
  return { scheme: "sigv4", provider: Object.keys(source), access_key: key, error: null, calls };
}

async function main() {
  process.removeAllListeners("warning"); // the SDK's Node version notice
  // defaultProvider's memoized chain leaves a second, unobserved copy of a rejection (the
  // caller's await gets the first): Node would end the process on it.
  process.on("unhandledRejection", () => {});
  // The SDK's multiple-sources warning goes to console.warn; stdout carries results only.
  console.warn = () => {};
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let out;
    try {
      out = await run(JSON.parse(line));
    } catch (e) {
      out = { provider: null, access_key: null, error: "OracleSetup", message: String(e), calls };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  }
}
main();
