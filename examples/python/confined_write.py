#!/usr/bin/env python3
"""libsafe_sh from Python (ctypes): run a shell confined to a workspace and
show that its write inside works and its write outside is refused.

Usage: confined_write.py LIBSAFE_SH_SO SAFE_SH_EXEC
Exits 0 when both hold, 1 otherwise."""
import ctypes
import os
import sys
import tempfile


class Child(ctypes.Structure):
    _fields_ = [("pid", ctypes.c_int), ("stdin_fd", ctypes.c_int), ("stdout_fd", ctypes.c_int), ("stderr_fd", ctypes.c_int)]


def load(path):
    lib = ctypes.CDLL(path, use_errno=True)
    lib.safe_sh_version.restype = ctypes.c_char_p
    lib.safe_sh_plan_new.restype = ctypes.c_void_p
    lib.safe_sh_plan_new.argtypes = [ctypes.c_char_p]
    lib.safe_sh_plan_free.argtypes = [ctypes.c_void_p]
    lib.safe_sh_plan_set_env.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.safe_sh_spawn.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(Child)]
    lib.safe_sh_wait.argtypes = [ctypes.POINTER(Child), ctypes.POINTER(ctypes.c_int)]
    lib.safe_sh_child_close.argtypes = [ctypes.POINTER(Child)]
    return lib


def read_all(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks).decode()
        chunks.append(chunk)


def main(lib_path, launcher):
    lib = load(lib_path)
    # Outside /tmp: the command gets a private one.
    workspace = tempfile.mkdtemp(prefix="safe-sh-ctypes-ws-", dir="/var/tmp")
    outside = tempfile.mkdtemp(prefix="safe-sh-ctypes-outside-", dir="/var/tmp")
    plan = lib.safe_sh_plan_new(workspace.encode())
    assert plan, "safe_sh_plan_new failed"
    assert lib.safe_sh_plan_set_env(plan, b"PATH=/usr/bin:/bin") == 0
    script = f"echo in > inside.txt && echo wrote-inside; echo out > {outside}/escape.txt || echo refused-outside"
    argv = (ctypes.c_char_p * 4)(b"sh", b"-c", script.encode(), None)
    child = Child()
    err = lib.safe_sh_spawn(plan, launcher.encode(), argv, ctypes.byref(child))
    lib.safe_sh_plan_free(plan)
    if err != 0:
        print(f"safe_sh_spawn: {os.strerror(err)}", file=sys.stderr)
        return 1
    os.close(child.stdin_fd)
    child.stdin_fd = -1
    stdout, stderr = read_all(child.stdout_fd), read_all(child.stderr_fd)
    status = ctypes.c_int()
    assert lib.safe_sh_wait(ctypes.byref(child), ctypes.byref(status)) == 0
    lib.safe_sh_child_close(ctypes.byref(child))
    inside_ok = os.path.exists(os.path.join(workspace, "inside.txt")) and "wrote-inside" in stdout
    outside_refused = not os.path.exists(os.path.join(outside, "escape.txt")) and "refused-outside" in stdout
    print(f"libsafe_sh {lib.safe_sh_version().decode()}: exit status {os.waitstatus_to_exitcode(status.value)}")
    print(f"write inside the workspace: {'ok' if inside_ok else 'FAILED'}")
    print(f"write outside refused: {'ok' if outside_refused else 'FAILED'} ({stderr.strip()})")
    for path in (os.path.join(workspace, "inside.txt"), os.path.join(outside, "escape.txt")):
        if os.path.exists(path):
            os.unlink(path)
    os.rmdir(workspace)
    os.rmdir(outside)
    return 0 if inside_ok and outside_refused else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
