// The local runtime under the benchmark: where its private state lives, and its workerd processes
// (the `wrangler dev` that startWorker() runs leads its own process group; every workerd it starts is in it).
import { execFileSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { tmpdir } from "node:os";

/**
 * Where Motor's private state lives: a RAM disk when there is one. The local D1 and Durable Object
 * simulators commit every transaction to SQLite files with a synchronous flush on workerd's thread
 * — the thread that also runs the Worker — so on a shared disk every commit stalls the Worker.
 * Production D1 and Durable Objects do not run on this disk; the Worker's own work is unchanged.
 */
export function stateRoot() {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return tmpdir();
  }
}

/** The workerd processes of a `wrangler dev` (wrangler runs detached: its session id is its pid, so `ps -g` lists what it started). */
export function workerdPids(wranglerPid) {
  return execFileSync("ps", ["-o", "pid=,comm=", "-g", String(wranglerPid)], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm === "workerd")
    .map(([pid]) => Number(pid));
}

/** Resident memory of those workerd processes (VmRSS in /proc/<pid>/status), in MiB: each, their sum and the largest. */
export function workerdRss(wranglerPid) {
  const processes = workerdPids(wranglerPid).flatMap((pid) => {
    try {
      const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      return kib === undefined ? [] : [{ pid, mib: Math.round(Number(kib) / 102.4) / 10 }];
    } catch {
      return []; // exited meanwhile
    }
  });
  const sum = Math.round(processes.reduce((total, { mib }) => total + mib, 0) * 10) / 10;
  return { processes, sumMib: sum, maxMib: Math.max(0, ...processes.map(({ mib }) => mib)) };
}
