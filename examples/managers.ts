// Node shares a queue with Python through a multiprocessing manager: python/mp_manager.py serves a
// queue.Queue (BaseManager, registered as `get_queue`); Node puts a typed User on it, a Python process
// takes it as a real myapp.models.User and puts an answer back, and Node reads that as a typed User.
// Run: NODE_OPTIONS=--conditions=typed-pickle-source npx tsx examples/managers.ts
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { PyDateTime } from "typed-pickle";
import { ManagerClient } from "typed-pickle/managers";
import { UserCodec } from "../generated/user.ts";
import { User } from "../schemas/user.ts";

const PYTHON_DIR = fileURLToPath(new URL("../python/", import.meta.url));
const pythonEnv = { ...process.env, PYTHONPATH: PYTHON_DIR };

async function main() {
  const authkey = randomBytes(16).toString("hex");
  const server = spawn("python3", ["mp_manager.py", "server", authkey], { cwd: PYTHON_DIR, env: pythonEnv, stdio: ["ignore", "pipe", "inherit"] });
  try {
    // The server prints {"address": ["127.0.0.1", port]} once it listens.
    const [firstLine] = (await once(server.stdout, "data")) as [Buffer];
    const { address } = JSON.parse(firstLine.toString()) as { address: [string, number] };

    const manager = await ManagerClient.connect(address, { authkey: Buffer.from(authkey, "hex") });
    const jobs = await manager.queue("get_queue", { item: UserCodec });
    const ada = Object.assign(new User(), { name: "Ada", age: 36, isActive: true, address: null, created: PyDateTime.fromDate(new Date()) });
    await jobs.put(ada);
    console.log(`Node put:      ${ada.name}, ${ada.age}`);

    // A Python process connects to the same manager, takes the User and answers.
    const saw = JSON.parse(execFileSync("python3", ["mp_manager.py", "peer", String(address[1]), authkey], { cwd: PYTHON_DIR, env: pythonEnv, encoding: "utf8" }));
    console.log(`Python got:    ${saw.class}(name=${saw.name}, age=${saw.age})`);

    const answer = await jobs.get({ timeout: 10 });
    console.log(`Node got back: ${answer.name}, ${answer.age}, hobbies ${JSON.stringify(answer.hobbies)} (a ${answer.constructor.name})`);
    await manager.close(); // gives the queue's reference back to the server
  } finally {
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
