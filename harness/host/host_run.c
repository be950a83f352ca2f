// SPDX-License-Identifier: MIT
/*
 * DOC: Running a host
 *
 * Socket paths and the "serve until a termination signal" loop shared by
 * `tyrc host`, `tyrc run` and the test host.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tyrc_host.h"
#include "tyrc_wire.h"

/* Create the runtime directory (0700) or check the existing one is ours. */
static int ensure_runtime_dir(char *dir, size_t len)
{
	struct stat st;
	int ret;

	ret = tyrc_wire_runtime_dir(dir, len);
	if (ret)
		return ret;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	if (lstat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return -EPERM;
	return 0;
}

static int socket_in_runtime_dir(char *buf, size_t len, const char *name)
{
	char dir[96];
	int ret, n;

	ret = ensure_runtime_dir(dir, sizeof(dir));
	if (ret)
		return ret;
	n = snprintf(buf, len, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int tyrc_host_default_socket(char *buf, size_t len)
{
	return socket_in_runtime_dir(buf, len, TYRC_WIRE_SOCKET_NAME);
}

int tyrc_host_private_socket(char *buf, size_t len)
{
	char name[48];

	snprintf(name, sizeof(name), "run-%d.sock", (int)getpid());
	return socket_in_runtime_dir(buf, len, name);
}

bool tyrc_host_probe_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	bool ok;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return false;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = !connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	close(fd);
	return ok;
}

static void write_all(int fd, const char *buf)
{
	size_t len = strlen(buf);

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

int tyrc_host_run(struct tyrc_device *dev, const struct tyrc_host_run_args *args)
{
	struct tyrc_host *host;
	struct rlimit rl;
	sigset_t set, old;
	char line[256];
	int ret, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	/* Clients vanish; the host must never die of it (sends use MSG_NOSIGNAL too). */
	signal(SIGPIPE, SIG_IGN);
	pthread_sigmask(SIG_BLOCK, &set, &old);

	/* Every open DRM file costs the host one descriptor. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ret = tyrc_host_start(dev, &args->cfg, &host);
	if (ret) {
		if (args->ready_fd >= 0) {
			snprintf(line, sizeof(line), "err %d %s\n", -ret, strerror(-ret));
			write_all(args->ready_fd, line);
			close(args->ready_fd);
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return ret;
	}
	if (args->print_path) {
		printf("%s\n", tyrc_host_socket_path(host));
		fflush(stdout);
	}
	if (args->ready_fd >= 0) {
		snprintf(line, sizeof(line), "ok %s\n", tyrc_host_socket_path(host));
		write_all(args->ready_fd, line);
		close(args->ready_fd);
	}

	do {
		sig = sigwaitinfo(&set, NULL);
	} while (sig < 0 && errno == EINTR);
	tyrc_info("host: signal %d, stopping", sig);
	tyrc_host_stop(host);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}
