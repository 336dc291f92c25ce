// Python processes send typed records to a Node service over multiprocessing.connection: a Listener
// with an authkey, python/mp_send_users.py as the Python Client (this program starts it), and
// recv(codec) decoding each myapp.models.User into the generated class. Nothing the peer sends is
// called: a pickle naming anything but the schema's classes is refused.
//   npx tsx examples/connection.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { T } from "typed-pickle";
import { Listener } from "typed-pickle/connection";
import { UserCodec } from "../generated/user.ts";

const authkey = randomBytes(32);
const listener = await Listener.open(["127.0.0.1", 0], { authkey });
const python = spawn("python3", ["mp_send_users.py", JSON.stringify(listener.address)], {
  cwd: fileURLToPath(new URL("../python/", import.meta.url)),
  env: { ...process.env, MP_AUTHKEY: authkey.toString("hex") },
  stdio: ["ignore", "inherit", "inherit"],
});
// If the client dies before connecting, closing the listener ends the wait for it.
python.once("exit", () => void listener.close());
try {
  const connection = await listener.accept();
  const ages: number[] = [];
  // Users until None: recv with the codec builds User instances (or throws a PickleError).
  for (let user = await connection.recv(T.optional(UserCodec)); user !== null; user = await connection.recv(T.optional(UserCodec))) {
    console.log(`${user.name}, ${user.age}, ${user.hobbies.length ? user.hobbies.join(" and ") : "no hobbies"}${user.address ? `, zip ${user.address.zip}` : ""}`);
    ages.push(user.age);
  }
  await connection.send(`${ages.length} users, mean age ${ages.reduce((a, b) => a + b, 0) / ages.length}`);
  await new Promise((resolve) => python.once("exit", resolve));
  await connection.close();
} finally {
  python.kill();
  await listener.close();
}
