"""A throwaway Spark standalone cluster on 127.0.0.1 for the tests, and the test sessions.

Takes nothing but the pyspark distribution in this virtualenv (its
``bin/spark-class``) and Java; gives a :class:`StandaloneCluster` (one master,
N workers, each its own process group on free ports, logs and work dirs in a
temporary folder) and :func:`spark_session`, a SparkSession on ``local[2]`` or
on such a cluster, sized for a small shared CI machine.

    >>> with StandaloneCluster(workers=2) as cluster:          # doctest: +SKIP
    ...     spark = spark_session(cluster.url)

The processes are always stopped: by ``stop()`` (fixture finalizers call it),
by the context manager, by an ``atexit`` hook if the test process dies
before its finalizers run, and on SIGTERM or SIGHUP (a CI timeout, a closed
terminal), which end a Python process without running ``atexit``.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Self

LOCALHOST = "127.0.0.1"
#: Each worker offers one core and this much memory; an executor takes all of it.
WORKER_CORES = 1
WORKER_MEMORY = "1g"
#: Heap of the master and worker daemons themselves (they only schedule).
DAEMON_MEMORY = "512m"
START_TIMEOUT_S = 120.0


def java_missing_reason() -> str | None:
    """Why Spark cannot run here, or None when pyspark and Java are both present."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'newsdesk[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "java not found on PATH (and JAVA_HOME unset): the Spark tests need Java 17"
    return None


def spark_class() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent / "bin" / "spark-class"


#: Ports this process has handed out: the kernel may give a just-closed port again, and a
#: worker's web UI that took the master's (the master's JVM binds late) made the master's
#: /json/ answer with another page (seen once on a loaded machine).
_GIVEN: set[int] = set()


def free_port() -> int:
    """A port free now and never handed out before in this process. The kernel chooses (bind
    to port 0); the race until the JVM binds it remains, but two of our own services never
    share one."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((LOCALHOST, 0))
            port = int(s.getsockname()[1])
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


_LIVE: list[StandaloneCluster] = []
_HANDLED: dict[int, Any] = {}


def _stop_all(signum: int, frame: Any) -> None:
    """Stop every live cluster, then let the signal do what it did before (by default: end the process)."""
    while _LIVE:  # stop() takes each cluster off the list
        _LIVE[0].stop()
    previous = _HANDLED.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _stop_on_signals() -> None:
    """Install :func:`_stop_all` for SIGTERM and SIGHUP once (signals can only be set from the main thread)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signum not in _HANDLED:
            _HANDLED[signum] = signal.getsignal(signum)
            signal.signal(signum, _stop_all)


class StandaloneCluster:
    """One master and ``workers`` workers of ``spark-class``, bound to 127.0.0.1."""

    def __init__(self, workers: int = 2, cores: int = WORKER_CORES, memory: str = WORKER_MEMORY) -> None:
        self.n_workers = workers
        self.cores = cores
        self.memory = memory
        self.home = Path(tempfile.mkdtemp(prefix="newsdesk-spark-cluster-"))
        self.port = free_port()
        self.ui_port = free_port()
        self.master: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self._stopped = False
        atexit.register(self.stop)
        _LIVE.append(self)
        _stop_on_signals()

    @property
    def url(self) -> str:
        return f"spark://{LOCALHOST}:{self.port}"

    # ---- processes ------------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        import pyspark

        env = dict(os.environ)
        conf_dir = self.home / "conf"  # empty: no stray spark-defaults/spark-env from the machine
        conf_dir.mkdir(exist_ok=True)
        env.update(
            SPARK_HOME=str(Path(pyspark.__file__).resolve().parent),
            SPARK_CONF_DIR=str(conf_dir),
            SPARK_LOCAL_IP=LOCALHOST,
            SPARK_LOCAL_DIRS=str(self.home / "local"),
            SPARK_LOG_DIR=str(self.home / "logs"),
            SPARK_WORKER_DIR=str(self.home / "work"),
            SPARK_DAEMON_MEMORY=DAEMON_MEMORY,
            SPARK_NO_DAEMONIZE="1",
        )
        return env

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        logs = self.home / "logs"
        logs.mkdir(exist_ok=True)
        log = (logs / f"{name}.log").open("wb")
        # Own process group: killing a "node" takes the worker and the executors it started with it.
        proc = subprocess.Popen([str(spark_class()), *args], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=self._env(), cwd=self.home, start_new_session=True)
        log.close()
        return proc

    def start(self, timeout: float = START_TIMEOUT_S) -> Self:
        self.master = self._spawn("master", [
            "org.apache.spark.deploy.master.Master",
            "--host", LOCALHOST, "--port", str(self.port), "--webui-port", str(self.ui_port),
        ])
        try:
            self._wait(lambda state: state.get("status") == "ALIVE", timeout, "the master to start")
            for _ in range(self.n_workers):
                self.add_worker(wait=False)
            self.wait_for_workers(self.n_workers, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def add_worker(self, wait: bool = True, timeout: float = START_TIMEOUT_S) -> subprocess.Popen[bytes]:
        """Start one more worker (and, with ``wait``, wait until the master counts it alive)."""
        want = len(self.alive_worker_procs()) + 1
        name = f"worker-{len(self.workers)}"
        proc = self._spawn(name, [
            "org.apache.spark.deploy.worker.Worker",
            "--host", LOCALHOST, "--port", str(free_port()), "--webui-port", str(free_port()),
            "--cores", str(self.cores), "--memory", self.memory,
            "--work-dir", str(self.home / "work" / name),
            self.url,
        ])
        self.workers.append(proc)
        if wait:
            self.wait_for_workers(want, timeout)
        return proc

    def kill_worker(self, index: int = 0) -> None:
        """SIGKILL a worker's whole process group: the worker JVM, its executor, their Python workers."""
        proc = self.workers[index]
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def alive_worker_procs(self) -> list[subprocess.Popen[bytes]]:
        return [p for p in self.workers if p.poll() is None]

    def stop(self) -> None:
        """Stop every process (TERM, then KILL after 10 s) and remove the temporary folder."""
        if self._stopped:
            return
        self._stopped = True
        procs = [p for p in [*self.workers, self.master] if p is not None]
        for p in procs:
            _signal_group(p, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(p, signal.SIGKILL)
                p.wait(timeout=10)
        for p in procs:  # executors and Python workers left behind in a group whose leader already exited
            _signal_group(p, signal.SIGKILL)
        shutil.rmtree(self.home, ignore_errors=True)
        atexit.unregister(self.stop)
        if self in _LIVE:
            _LIVE.remove(self)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the master's view ----------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The master web UI's JSON (workers, their state, apps)."""
        with urllib.request.urlopen(f"http://{LOCALHOST}:{self.ui_port}/json/", timeout=5) as r:
            body = r.read().decode("utf-8")
        try:
            return json.loads(body)
        except json.JSONDecodeError as exc:
            raise RuntimeError(f"port {self.ui_port} answers with no master JSON (another service took it?): "
                               f"{body[:80]!r}\n{self.log_tail()}") from exc

    def alive_workers(self) -> int:
        return sum(1 for w in self.state().get("workers", []) if w.get("state") == "ALIVE")

    def wait_for_workers(self, n: int, timeout: float = START_TIMEOUT_S) -> None:
        self._wait(lambda state: sum(w.get("state") == "ALIVE" for w in state.get("workers", [])) >= n,
                   timeout, f"{n} worker(s) to register")

    def _wait(self, ready: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.master is None or self.master.poll() is not None:
                raise RuntimeError(f"the Spark master exited while waiting for {what}:\n{self.log_tail()}")
            try:
                if ready(self.state()):
                    return
            except OSError:  # the web UI is not up yet
                pass
            time.sleep(0.5)
        raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        out = []
        for p in sorted((self.home / "logs").glob("*.log")):
            out.append(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}")
        return "\n".join(out)


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# ---- sessions ---------------------------------------------------------------------------------------

#: Lost executors are a fault the cluster survives: a task may fail a few times (a killed
#: executor counts once per running task), a stage may be retried after lost shuffle output.
FAULT_TOLERANT_CONF = {
    "spark.task.maxFailures": "8",
    "spark.stage.maxConsecutiveAttempts": "8",
}


def spark_session(master: str, app: str = "newsdesk-tests", partitions: int = 4) -> Any:
    """A newsdesk SparkSession on ``local[2]`` or a standalone master URL (1 core, 1 GiB per executor)."""
    os.environ["SPARK_LOCAL_IP"] = LOCALHOST
    from newsdesk.spark import session

    conf = dict(FAULT_TOLERANT_CONF)
    conf["spark.driver.host"] = LOCALHOST
    conf["spark.driver.bindAddress"] = LOCALHOST
    if master.startswith("spark://"):
        conf.update({
            "spark.executor.memory": WORKER_MEMORY,
            "spark.executor.cores": str(WORKER_CORES),
            "spark.cores.max": "2",
        })
    s = session(master, app=app, driver_memory="1g", partitions=partitions, conf=conf)
    s.sparkContext.setLogLevel("ERROR")
    return s


def executor_count(spark: Any) -> int:
    """Executors the driver currently knows (without the driver itself)."""
    infos = spark.sparkContext._jsc.sc().statusTracker().getExecutorInfos()
    return max(0, len(infos) - 1)
