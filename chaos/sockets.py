"""Which local process holds the other end of a TCP connection, read from Linux's /proc.

The kernel lists every IPv4 socket in /proc/net/tcp with its ports and inode, and each
process's open files in /proc/<pid>/fd: the process whose fd points at the inode of the
socket bound to the peer's port is the peer.
"""

from pathlib import Path

PROC = Path("/proc")


def _socket_inode(local_port: int, remote_port: int) -> str | None:
    """Returns the inode of the socket from `local_port` to `remote_port`, or None."""
    try:
        lines = (PROC / "net" / "tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if int(local.rsplit(":", 1)[1], 16) == local_port and (
            int(remote.rsplit(":", 1)[1], 16) == remote_port
        ):
            return inode
    return None


def local_tcp_owner(peer_port: int, server_port: int, pids: list[int]) -> int | None:
    """Returns which of `pids` holds the connection from `peer_port` to our `server_port`,
    or None when none does (the process is gone, or the peer is not local)."""
    inode = _socket_inode(peer_port, server_port)
    if inode is None:
        return None
    link = f"socket:[{inode}]"
    for pid in pids:
        try:
            fds = list((PROC / str(pid) / "fd").iterdir())
        except OSError:  # gone, or not ours to read
            continue
        for fd in fds:
            try:
                if fd.readlink().as_posix() == link:
                    return pid
            except OSError:
                continue
    return None
