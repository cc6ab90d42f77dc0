"""mbrl4j's Gymnasium server: serves one Gymnasium environment (or a vector of copies) to a Java process.

It speaks the subset of the Py4J wire protocol that Py4J's Java CallbackClient uses to call a Python entry point
(the Python `py4j` package is not needed): auth `A`, call `c`, garbage-collect `g`, typed values `s i L d b j n v`,
replies `!y<value>` or `!x<error>`. It binds 127.0.0.1 on port 0, reads its auth token from the first line of
standard input, and prints `PORT <n>` on standard output. Observations and actions travel as little-endian float64
byte arrays.

Steps can also travel through a shared-memory lane (`open_lane`): a file both processes map, a request and a reply
slot each published by a sequence number written after its payload. A socket round trip costs ~50 µs here, more than
a MuJoCo step; the lane costs a few µs because this side polls it (briefly spinning, then sleeping longer the longer
it stays idle). Only on x86-64, whose stores are seen in program order, which this protocol relies on.
"""
import base64
import hashlib
import json
import mmap
import os
import socket
import struct
import sys
import threading
import time
import traceback

import numpy as np
import gymnasium as gym


def escape(s):
    return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "r": "\r", "\\": "\\"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def decode(part):
    t, v = part[0], part[1:]
    if t == "s":
        return unescape(v)
    if t in "iL":
        return int(v)
    if t == "d":
        return float(v)
    if t == "b":
        return v.lower() == "true"
    if t == "j":
        return base64.standard_b64decode(v)
    if t == "n":
        return None
    raise ValueError("unsupported argument type " + repr(t))


def encode(value):
    if value is None:
        return "v"
    if isinstance(value, bool):
        return "b" + ("true" if value else "false")
    if isinstance(value, int):
        return ("i" if -2**31 <= value < 2**31 else "L") + str(value)
    if isinstance(value, float):
        return "d" + repr(value)
    if isinstance(value, (bytes, bytearray)):
        return "j" + base64.standard_b64encode(bytes(value)).decode("ascii")
    return "s" + escape(str(value))


def f64(x):
    return np.asarray(x, dtype=np.float64).ravel()


def space_spec(space):
    if isinstance(space, gym.spaces.Discrete):
        return {"type": "discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, gym.spaces.Box):
        return {"type": "box", "low": [float(x) for x in f64(space.low)], "high": [float(x) for x in f64(space.high)],
                "shape": list(space.shape)}
    raise ValueError("unsupported space " + str(space))



RESET_TAIL = np.array([0.0, 0.0, 0.0, 1.0])


def unsigned(seed):
    """Java seeds are any 64-bit value; Gymnasium wants a non-negative int: read the bits as unsigned."""
    return int(seed) % (1 << 64)

class Backend:
    """The entry point: one environment, or a vector of copies with NEXT_STEP autoreset."""

    def __init__(self, token):
        self.token = token
        # serialises calls from the Py4J connections and the shared-memory lane
        self.lock = threading.Lock()
        self.envs = []
        self.discrete = False
        self.needs_reset = []
        self.step_fault = None

    def handshake(self, nonce):
        return hashlib.sha256((self.token + ":" + nonce).encode()).hexdigest()

    def make(self, env_id, kwargs_json, n):
        kwargs = json.loads(kwargs_json) if kwargs_json else {}
        self.close()
        self.envs = [gym.make(env_id, **kwargs) for _ in range(max(1, n))]
        env = self.envs[0]
        self.discrete = isinstance(env.action_space, gym.spaces.Discrete)
        self.needs_reset = [False] * len(self.envs)
        # looked up once: each access walks the wrapper chain
        self.action_dtype, self.action_shape = env.action_space.dtype, env.action_space.shape
        self.action_size = 1 if self.discrete else int(np.prod(self.action_shape))
        self.row = int(np.prod(env.observation_space.shape)) + 3
        spec = env.spec
        return json.dumps({"observation_space": space_spec(env.observation_space),
                           "action_space": space_spec(env.action_space),
                           "max_episode_steps": spec.max_episode_steps if spec else None,
                           "reward_threshold": spec.reward_threshold if spec else None,
                           "gymnasium": gym.__version__})

    def _action(self, a):
        """The env's action from a float64 row (a fresh array: the request buffer is reused)."""
        if self.discrete:
            return int(round(float(a[0])))
        return a.astype(self.action_dtype).reshape(self.action_shape)

    def reset(self, seed, seeded):
        obs, _ = self.envs[0].reset(seed=unsigned(seed) if seeded else None)
        return f64(obs).astype("<f8").tobytes()

    def step(self, action):
        a = np.frombuffer(action, dtype="<f8")
        out = np.empty(self.row, dtype="<f8")
        self.step_into(a, out)
        return out.tobytes()

    def step_into(self, a, out):
        """Steps with action row `a`, writes observation, reward, terminated, truncated into `out`."""
        self._step_fault()
        obs, reward, terminated, truncated, _ = self.envs[0].step(self._action(a))
        k = self.row - 3
        out[:k] = np.ravel(obs)
        out[k] = reward
        out[k + 1] = terminated
        out[k + 2] = truncated

    def vector_reset(self, seed, seeded):
        rows = []
        for i, env in enumerate(self.envs):
            obs, _ = env.reset(seed=unsigned(int(seed) + i) if seeded else None)
            rows.append(f64(obs))
        self.needs_reset = [False] * len(self.envs)
        return np.concatenate(rows).astype("<f8").tobytes()

    def vector_step(self, actions):
        n = len(self.envs)
        out = np.empty(n * (self.row + 1), dtype="<f8")
        self.vector_step_into(np.frombuffer(actions, dtype="<f8"), out)
        return out.tobytes()

    def vector_step_into(self, actions, out):
        """Steps every copy (resetting those whose episode ended on the previous call, NEXT_STEP autoreset) and writes
        per copy observation, reward, terminated, truncated and a reset flag into `out`."""
        self._step_fault()
        n, width, k = len(self.envs), self.row + 1, self.row - 3
        a = actions[:n * self.action_size]
        # all rows converted at once (a fresh array: the request buffer is reused)
        a = a.astype(np.int64) if self.discrete else a.astype(self.action_dtype).reshape((n,) + self.action_shape)
        rows = out[:n * width].reshape(n, width)
        needs_reset = self.needs_reset
        for i, env in enumerate(self.envs):
            o = rows[i]
            if needs_reset[i]:
                obs, _ = env.reset()
                needs_reset[i] = False
                o[:k] = np.ravel(obs)
                o[k:] = RESET_TAIL
                continue
            obs, reward, terminated, truncated, _ = env.step(int(a[i]) if self.discrete else a[i])
            needs_reset[i] = terminated or truncated
            o[:k] = np.ravel(obs)
            o[k] = reward
            o[k + 1] = terminated
            o[k + 2] = truncated
            o[k + 3] = 0.0

    def get_state(self):
        u = self.envs[0].unwrapped
        if hasattr(u, "data") and hasattr(u, "model"):
            # MuJoCo's full integration state (time, qpos, qvel, act, warm start, controls, ...): qpos and qvel alone
            # do not reproduce the next step exactly, the constraint solver's warm start matters
            # body positions (xpos, xipos) are derived, yet Gymnasium reads them before stepping (Ant's and
            # Humanoid's forward reward): they are part of the state that reproduces the next step
            import mujoco
            spec = mujoco.mjtState.mjSTATE_INTEGRATION
            state = np.empty(mujoco.mj_stateSize(u.model, spec))
            mujoco.mj_getState(u.model, u.data, state, spec)
            return np.concatenate([state, f64(u.data.xpos), f64(u.data.xipos)]).astype("<f8").tobytes()
        if hasattr(u, "state") and u.state is not None:
            return f64(u.state).astype("<f8").tobytes()
        raise ValueError(type(u).__name__ + " exposes no simulator state")

    def set_state(self, state):
        u = self.envs[0].unwrapped
        s = np.frombuffer(bytes(state), dtype="<f8")
        if hasattr(u, "data") and hasattr(u, "model"):
            import mujoco
            spec = mujoco.mjtState.mjSTATE_INTEGRATION
            size = mujoco.mj_stateSize(u.model, spec)
            nb = u.model.nbody * 3
            if len(s) != size + 2 * nb:
                raise ValueError("MuJoCo state of %s has %d values, got %d" % (type(u).__name__, size + 2 * nb, len(s)))
            mujoco.mj_setState(u.model, u.data, s[:size].copy(), spec)
            u.data.xpos[:] = s[size:size + nb].reshape(-1, 3)
            u.data.xipos[:] = s[size + nb:].reshape(-1, 3)
            return f64(u._get_obs()).astype("<f8").tobytes()
        if hasattr(u, "state"):
            u.state = s.copy()
            for name in ("_get_obs", "_get_ob"):
                if hasattr(u, name):
                    return f64(getattr(u, name)()).astype("<f8").tobytes()
            # CartPole, MountainCar: the observation is the state in float32
            return f64(np.asarray(s, dtype=np.float32)).astype("<f8").tobytes()
        raise ValueError(type(u).__name__ + " exposes no simulator state")

    def render(self):
        env = self.envs[0]
        if env.render_mode != "rgb_array":
            raise ValueError("%s was made with render_mode=%r; rendering from Java needs render_mode='rgb_array' "
                             "(pass it in the make keyword arguments)" % (env.spec.id if env.spec else env,
                                                                         env.render_mode))
        frame = np.ascontiguousarray(env.render(), dtype=np.uint8)
        if frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError("expected an RGB frame of shape (height, width, 3), got " + str(frame.shape))
        return struct.pack("<iii", *frame.shape) + frame.tobytes()

    def close(self):
        for env in self.envs:
            env.close()
        self.envs = []

    def open_lane(self, path, request_capacity, reply_capacity):
        self.lane = Lane(self, path, request_capacity, reply_capacity)
        return True

    def fault(self, kind):
        """Failure injection for mbrl4j's tests; `step:KIND` fails the next step instead."""
        if kind.startswith("step:"):
            self.step_fault = kind[5:]
            return
        if kind == "hang":
            time.sleep(3600)
        elif kind == "exit":
            os._exit(3)
        raise RuntimeError("injected failure: " + kind)

    def _step_fault(self):
        kind, self.step_fault = self.step_fault, None
        if kind is not None:
            self.fault(kind)


class Lane:
    """The shared-memory lane for steps (see the module notes). Header, little-endian: request sequence (int64 at 0),
    reply sequence (int64 at 8), operation (int32 at 16: 1 step, 2 vector step, 0 stop), request length (int32 at
    20), reply status (int32 at 24: 0 ok, 1 error text), reply length (int32 at 28); the request at 64, the reply
    after the request's capacity."""

    HEADER = 64

    def __init__(self, backend, path, request_capacity, reply_capacity):
        self.backend, self.lock = backend, backend.lock
        self.request_capacity, self.reply_capacity = request_capacity, reply_capacity
        fd = os.open(path, os.O_RDWR)
        try:
            self.mm = mmap.mmap(fd, self.HEADER + request_capacity + reply_capacity)
        finally:
            os.close(fd)
        threading.Thread(target=self.loop, name="mbrl4j-lane", daemon=True).start()

    def loop(self):
        mm, unpack_from, pack_into = self.mm, struct.unpack_from, struct.pack_into
        reply_at = self.HEADER + self.request_capacity
        # the request and the reply as float64 views of the mapping: steps read and write them in place
        request = np.frombuffer(mm, dtype="<f8", count=self.request_capacity // 8, offset=self.HEADER)
        reply = np.frombuffer(mm, dtype="<f8", count=self.reply_capacity // 8, offset=reply_at)
        backend = self.backend
        last = unpack_from("<q", mm, 0)[0]
        spins, idle_since = 0, time.monotonic()
        while True:
            seq = unpack_from("<q", mm, 0)[0]
            if seq == last:
                spins += 1
                if spins % 64 == 0:
                    # spin (yielding the GIL now and then) while steps come quickly, then sleep longer and longer
                    idle = time.monotonic() - idle_since
                    time.sleep(0 if idle < 0.005 else 0.0001 if idle < 0.2 else 0.001 if idle < 10 else 0.01)
                continue
            last = seq
            op, n = unpack_from("<ii", mm, 16)
            if op == 0:
                return
            try:
                with self.lock:
                    if op == 1:
                        backend.step_into(request[:n // 8], reply)
                        size = backend.row * 8
                    else:
                        backend.vector_step_into(request[:n // 8], reply)
                        size = len(backend.envs) * (backend.row + 1) * 8
                status = 0
            except Exception:
                out = traceback.format_exc().encode("utf-8")[-self.reply_capacity:]
                mm[reply_at:reply_at + len(out)] = out
                status, size = 1, len(out)
            pack_into("<ii", mm, 24, status, size)
            pack_into("<q", mm, 8, seq)
            spins, idle_since = 0, time.monotonic()


METHODS = {"openLane": "open_lane", "handshake": "handshake", "make": "make", "reset": "reset", "step": "step", "vectorReset": "vector_reset",
           "vectorStep": "vector_step", "getState": "get_state", "setState": "set_state", "render": "render", "close": "close",
           "fault": "fault"}


def serve(conn, backend):
    f = conn.makefile("rwb", buffering=0)
    reader = conn.makefile("rb")
    authenticated = False

    def line():
        raw = reader.readline()
        if not raw:
            raise EOFError
        return raw.decode("utf-8").rstrip("\n")

    def reply(text):
        f.write((text + "\n").encode("utf-8"))

    try:
        while True:
            cmd = line()
            if cmd == "A":
                token = unescape(line())
                line()  # "e"
                if token == backend.token:
                    authenticated = True
                    reply("!yv")
                else:
                    reply("!xsAuthentication error: wrong token")
                    return
            elif not authenticated:
                reply("!xsAuthentication error: authenticate first")
                return
            elif cmd == "c":
                target = line()
                method = line()
                args = []
                while True:
                    part = line()
                    if part == "e":
                        break
                    args.append(decode(part))
                try:
                    if target != "t" or method not in METHODS:
                        raise AttributeError("no method " + method + " on " + target)
                    with backend.lock:
                        result = getattr(backend, METHODS[method])(*args)
                    reply("!y" + encode(result))
                except Exception:
                    reply("!x" + encode(traceback.format_exc()))
            elif cmd == "g":
                line()
                line()
                reply("!yv")
            elif cmd == "e" or cmd == "":
                continue
            else:
                reply("!xsunknown command " + escape(cmd))
    except (EOFError, ConnectionError, OSError):
        pass
    finally:
        conn.close()


def main():
    token = sys.stdin.readline().strip()
    backend = Backend(token)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    print("PORT", srv.getsockname()[1], flush=True)

    def watch_parent():
        # stdin closes when the Java process dies: exit instead of lingering
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    while True:
        conn, _ = srv.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(conn, backend), daemon=True).start()


if __name__ == "__main__":
    main()
