"""Instructions counted by valgrind's callgrind over one part of a child process's run.

Used by ``scoring_instructions.py`` and ``write_instructions.py``: the child (the script itself,
started again with ``--child READY DONE …``) prepares what is not to be counted, creates READY and
waits for it to disappear; counting is switched on, READY removed, and the child does the counted
work, creates DONE and sleeps while counting is switched off again. Instructions, unlike seconds,
do not move with what else the machine is doing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def checked_src(tree: Path) -> Path:
    """``tree``'s ``src`` folder, or a clear exit when valgrind is missing or it holds no pantau."""
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: install Debian's valgrind package")
    src = (tree / "src").resolve()
    if not (src / "pantau").is_dir():
        raise SystemExit(f"{src} holds no pantau package")
    return src


def count(script: str, args: Sequence[str], extra: Sequence[str], src: Path, what: str) -> int:
    """Run ``python script *args --child READY DONE *extra`` under callgrind with pantau from ``src``
    and return the instructions counted between READY and DONE."""
    with tempfile.TemporaryDirectory(prefix="pantau-instr-") as tmp:
        ready, done, out = Path(tmp, "ready"), Path(tmp, "done"), Path(tmp, "callgrind.out")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(Path(script).resolve().parent)])}
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}", sys.executable,
             script, *args, "--child", str(ready), str(done), *extra],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        print(f"{what} from {src} under callgrind …", file=sys.stderr)
        while not ready.exists():
            if proc.poll() is not None:
                raise SystemExit(f"the counted process ended early:\n{proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            time.sleep(0.2)
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        ready.unlink()
        while not done.exists():
            if proc.poll() is not None:
                raise SystemExit("the counted process ended before it was done")
            time.sleep(0.2)
        subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], check=True, capture_output=True)
        proc.wait()
        totals = [int(m.group(1)) for f in Path(tmp).glob("callgrind.out*")
                  for m in re.finditer(r"^totals:\s*(\d+)", f.read_text(errors="replace"), re.M)]
    if not totals:
        raise SystemExit("callgrind wrote no totals")
    return sum(totals)
