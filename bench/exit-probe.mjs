// Loaded with `node --import` into a measured node process. At exit it records what only the
// process itself sees exactly: its peak RSS (VmHWM), its own CPU time and the CPU time of the
// children it reaped. Plain JS so the measured process does not have to load tsx.
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.BENCH_EXIT_PROBE;
if (out) {
  process.on('exit', () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "pid (comm) ": state is [0], cutime [13], cstime [14] (man 5 proc).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const { user, system } = process.cpuUsage();
    writeFileSync(
      out,
      JSON.stringify({
        hwmKb: Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1]),
        cpuMicros: user + system,
        childTicks: Number(fields[13]) + Number(fields[14]),
      }),
    );
  });
}
