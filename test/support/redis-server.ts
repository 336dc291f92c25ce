// One redis-server for the whole test process. CI (.ci/run) starts one on loopback and names its port
// in TYPED_PICKLE_REDIS_PORT; run alone, a test starts a private one here and stops it on exit.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer, Socket } from "node:net";

let port: Promise<number> | undefined;
let child: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function ping(at: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
    socket.connect(at, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
  });
}

async function start(): Promise<number> {
  const given = process.env.TYPED_PICKLE_REDIS_PORT;
  if (given) {
    const at = Number(given);
    if (!(await ping(at))) throw new Error(`TYPED_PICKLE_REDIS_PORT=${given} but no redis-server answers there`);
    return at;
  }
  if (spawnSync("redis-server", ["--version"]).error) {
    throw new Error("redis-server is required by the integration tests: apt-get install -y redis-server (.ci/run does)");
  }
  const at = await freePort();
  child = spawn("redis-server", ["--port", String(at), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  child.unref();
  process.once("exit", () => child?.kill());
  for (let i = 0; i < 100; i++) {
    if (await ping(at)) return at;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("redis-server did not start");
}

/** The port of a running redis-server on 127.0.0.1. Tests use their own key prefixes or databases. */
export function redisPort(): Promise<number> {
  port ??= start();
  return port;
}
