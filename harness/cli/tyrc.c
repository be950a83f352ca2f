// SPDX-License-Identifier: MIT
/*
 * tyrc - run the device host and programs that use it.
 *
 *   tyrc host [--socket P] [--log F] [--verbose] [--foreground]
 *   tyrc run [--socket P] [--private] [--host-exe P] [--log F] -- CMD ARGS...
 *   tyrc info [--socket P]
 *
 * `tyrc run` uses the host answering on the socket, or starts one as its
 * child for the duration of CMD, and runs CMD with the shim preloaded
 * (LD_PRELOAD) and TYRC_SOCKET set. Its exit status is CMD's (128 + signal
 * if CMD was killed); 125 if tyrc itself failed; non-zero if the host it
 * started did not stop cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tyrc_host.h"
#include "tyrc_wire.h"

#define EXIT_TYRC_FAILED 125

static const char *prog = "tyrc";

static void usage_main(FILE *f)
{
	fprintf(f,
		"usage: tyrc COMMAND [OPTIONS]\n"
		"\n"
		"Run the tyrc device host (a panthor DRM driver on a Mali-G610 model) and\n"
		"programs that see it as /dev/dri/card0 and /dev/dri/renderD128.\n"
		"\n"
		"commands:\n"
		"  host    run a device host until SIGINT/SIGTERM\n"
		"  run     run a command against a host (started for it if none answers)\n"
		"  info    print the device as a client sees it\n"
		"  help    this text; `tyrc COMMAND --help` for a command\n"
		"\n"
		"environment:\n"
		"  TYRC_SOCKET          host socket (default $XDG_RUNTIME_DIR/tyrc/host.sock,\n"
		"                       or /tmp/tyrc-$UID/host.sock)\n"
		"  TYRC_SHIM            path of libtyrc_shim.so (default: next to tyrc)\n"
		"  TYRC_PRELOAD_EXTRA   libraries put in LD_PRELOAD before the shim\n"
		"  TYRC_SHIM_DEBUG=1    shim debug messages on stderr; TYRC_SHIM_LOG=FILE instead\n");
}

static void usage_host(FILE *f)
{
	fprintf(f,
		"usage: tyrc host [--socket PATH] [--log FILE] [--verbose] [--foreground]\n"
		"\n"
		"Probe the driver on a new GPU model and serve it on a UNIX socket until\n"
		"SIGINT or SIGTERM; then disconnect clients, remove the socket and the device.\n"
		"Prints the socket path once ready. Without --foreground the host detaches\n"
		"(and its pid is printed too).\n"
		"\n"
		"  --socket PATH   listen here (default: $TYRC_SOCKET, or the default socket)\n"
		"  --log FILE      append the kernel/host log to FILE (default: stderr)\n"
		"  --verbose       log debug messages too\n"
		"  --foreground    do not detach\n"
		"  --ready-fd N    (implies --foreground) write \"ok PATH\" or \"err ERRNO TEXT\"\n"
		"                  to descriptor N once listening, as `tyrc run` expects\n");
}

static void usage_run(FILE *f)
{
	fprintf(f, "usage: tyrc run [--socket PATH] [--private] [--host-exe EXE] [--log FILE]\n"
		   "                [--verbose] -- COMMAND [ARGS...]\n"
		   "\n"
		   "Run COMMAND with libtyrc_shim.so preloaded and TYRC_SOCKET set. If no host\n"
		   "answers on the socket, start one for the duration of COMMAND (without an\n"
		   "explicit socket, on a private path). Exit status: COMMAND's (128+N if it\n"
		   "died of signal N), 125 if tyrc failed, non-zero if the host it started\n"
		   "did not stop cleanly.\n"
		   "\n"
		   "  --socket PATH   use / start the host here (default: $TYRC_SOCKET)\n"
		   "  --private       always start a new host on a private socket\n"
		   "  --host-exe EXE  start EXE --socket PATH --ready-fd N instead of the\n"
		   "                  built-in host (test hosts)\n"
		   "  --log FILE      log of a host started here (default: errors on stderr)\n"
		   "  --verbose       log debug messages too\n");
}

static void usage_info(FILE *f)
{
	fprintf(f, "usage: tyrc info [--socket PATH] [--private]\n"
		   "\n"
		   "Print the driver name, version and description (as DRM_IOCTL_VERSION reports\n"
		   "them), the decoded GPU id, shader cores and the open DRM files. Starts a\n"
		   "temporary host if none answers.\n");
}

/* ---- host lifetime ---- */

struct log_opts {
	const char *path;
	bool verbose;
	/* default_level - level when logging to stderr. */
	enum tyrc_log_level default_level;
};

static FILE *setup_log(const struct log_opts *lo)
{
	FILE *f = NULL;

	if (lo->path) {
		f = fopen(lo->path, "ae");
		if (!f) {
			fprintf(stderr, "%s: %s: %s\n", prog, lo->path, strerror(errno));
			return NULL;
		}
		setvbuf(f, NULL, _IOLBF, 0);
		tyrc_log_set_sink(f, lo->verbose ? TYRC_LOG_DEBUG : TYRC_LOG_INFO);
	} else {
		tyrc_log_set_sink(stderr, lo->verbose ? TYRC_LOG_DEBUG : lo->default_level);
	}
	return f;
}

static void write_str(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Run a real host in this process: probe, serve until signalled, remove. */
static int serve_real(const char *socket_path, int ready_fd, bool print_path)
{
	struct tyrc_host_run_args args = {
		.cfg = { .socket_path = socket_path },
		.ready_fd = ready_fd,
		.print_path = print_path,
	};
	struct tyrc_host_gpu *gpu;
	char line[256];
	int ret;

	ret = tyrc_host_gpu_create(&gpu);
	if (ret) {
		snprintf(line, sizeof(line), "err %d device probe failed: %s\n", -ret,
			 strerror(-ret));
		if (ready_fd >= 0) {
			write_str(ready_fd, line);
			close(ready_fd);
		}
		return ret;
	}
	args.cfg.phys_to_fd = tyrc_host_gpu_phys_to_fd;
	args.cfg.phys_priv = gpu;
	ret = tyrc_host_run(tyrc_host_gpu_device(gpu), &args);
	tyrc_host_gpu_destroy(gpu);
	return ret;
}

/* serve_real() logging to @log (from setup_log(); may be NULL), closed after. */
static int serve_logged(FILE *log, const char *socket_path, int ready_fd, bool print_path)
{
	int ret = serve_real(socket_path, ready_fd, print_path);

	tyrc_log_set_sink(NULL, TYRC_LOG_ERR);
	if (log)
		fclose(log);
	return ret;
}

/*
 * Wait for a starting host's readiness line on @fd.
 * Return: 0, or a negative errno with @msg describing the failure.
 */
static int wait_ready(int fd, char *msg, size_t len)
{
	char buf[512];
	size_t got = 0;
	int err;

	while (got < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(buf, '\n', got))
			break;
	}
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strncmp(buf, "ok ", 3))
		return 0;
	if (sscanf(buf, "err %d", &err) == 1 && err > 0) {
		const char *sp = strchr(buf + 4, ' ');

		snprintf(msg, len, "%s", sp ? sp + 1 : strerror(err));
		return -err;
	}
	snprintf(msg, len, "host exited before it was ready");
	return -EIO;
}

/*
 * In the parent of the starting host @pid: wait for its readiness line on
 * the pipe @p, and close both ends.
 * Return: 0, or -1 (message printed, the child reaped).
 */
static int await_host(pid_t pid, int p[2])
{
	char msg[300];
	int ret;

	close(p[1]);
	ret = wait_ready(p[0], msg, sizeof(msg));
	close(p[0]);
	if (ret) {
		fprintf(stderr, "%s: the host did not start: %s\n", prog, msg);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return 0;
}

/*
 * Start a host child serving @socket_path and wait until it listens.
 * Return: its pid, or -1 (message printed).
 */
static pid_t start_host(const char *socket_path, const char *host_exe, const struct log_opts *lo)
{
	char msg[300];
	pid_t parent = getpid(), pid;
	int p[2], ret;

	if (pipe2(p, O_CLOEXEC)) {
		fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		close(p[0]);
		setpgid(0, 0); /* terminal signals are for the command, not the host */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		if (host_exe) {
			char fdarg[16];

			snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
			fcntl(p[1], F_SETFD, 0);
			if (lo->path)
				execl(host_exe, host_exe, "--socket", socket_path, "--ready-fd",
				      fdarg, "--log", lo->path, (char *)NULL);
			else
				execl(host_exe, host_exe, "--socket", socket_path, "--ready-fd",
				      fdarg, (char *)NULL);
			snprintf(msg, sizeof(msg), "err %d cannot run %s: %s\n", errno, host_exe,
				 strerror(errno));
			write_str(p[1], msg);
			_exit(127);
		}
		ret = serve_logged(setup_log(lo), socket_path, p[1], false);
		exit(ret ? 1 : 0); /* not _exit: leak checkers run at exit */
	}
	return await_host(pid, p) ? -1 : pid;
}

/* Stop a host child. Return: 0 if it exited cleanly. */
static int stop_host(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		fprintf(stderr, "%s: the host died of signal %d\n", prog, WTERMSIG(status));
	else
		fprintf(stderr, "%s: the host exited with status %d\n", prog, WEXITSTATUS(status));
	return -1;
}

/* The socket to use: --socket, else $TYRC_SOCKET. Return: false if neither. */
static bool explicit_socket(const char *opt, char *buf, size_t len)
{
	const char *env = getenv("TYRC_SOCKET");
	const char *path = opt ? opt : (env && env[0] ? env : NULL);

	if (!path)
		return false;
	snprintf(buf, len, "%s", path);
	return true;
}

/* The options of the client commands (run, info) that choose their host. */
struct host_opts {
	/* socket - --socket, or NULL. */
	const char *socket;
	/* private_socket - --private: always start a new host on a private socket. */
	bool private_socket;
	/* host_exe - --host-exe, or NULL for the built-in host. */
	const char *host_exe;
};

/*
 * Record option @c in @ho if it is one of --socket ('s'), --private ('p')
 * or --host-exe ('x'). Return: whether it was.
 */
static bool host_opt(int c, struct host_opts *ho)
{
	switch (c) {
	case 's':
		ho->socket = optarg;
		return true;
	case 'p':
		ho->private_socket = true;
		return true;
	case 'x':
		ho->host_exe = optarg;
		return true;
	default:
		return false;
	}
}

/*
 * Find a host for a client command: use the one answering, or start one.
 * Return: 0 with *@pid the started host (or 0), or -1.
 */
static int acquire_host(const struct host_opts *ho, const struct log_opts *lo, char *path,
			size_t len, pid_t *pid)
{
	int ret;

	*pid = 0;
	if (!ho->private_socket && explicit_socket(ho->socket, path, len)) {
		if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			fprintf(stderr, "%s: socket path too long: %s\n", prog, path);
			return -1;
		}
		if (tyrc_host_probe_socket(path))
			return 0;
	} else {
		ret = ho->private_socket ? -ENOENT : tyrc_host_default_socket(path, len);
		if (!ret && tyrc_host_probe_socket(path))
			return 0;
		ret = tyrc_host_private_socket(path, len);
		if (ret) {
			fprintf(stderr, "%s: no socket path: %s\n", prog, strerror(-ret));
			return -1;
		}
	}
	*pid = start_host(path, ho->host_exe, lo);
	return *pid > 0 ? 0 : -1;
}

/* ---- tyrc host ---- */

static int cmd_host(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct log_opts lo = { .default_level = TYRC_LOG_INFO };
	const char *opt_socket = NULL;
	bool foreground = false;
	char path[108];
	int c, ready_fd = -1, p[2], ret;
	FILE *log;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt_socket = optarg;
			break;
		case 'l':
			lo.path = optarg;
			break;
		case 'v':
			lo.verbose = true;
			break;
		case 'f':
			foreground = true;
			break;
		case 'r':
			ready_fd = atoi(optarg);
			foreground = true;
			break;
		case 'h':
			usage_host(stdout);
			return 0;
		default:
			usage_host(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage_host(stderr);
		return 2;
	}
	if (!explicit_socket(opt_socket, path, sizeof(path))) {
		ret = tyrc_host_default_socket(path, sizeof(path));
		if (ret) {
			fprintf(stderr, "%s: no socket path: %s\n", prog, strerror(-ret));
			return 1;
		}
	}
	if (tyrc_host_probe_socket(path)) {
		fprintf(stderr, "%s: a host already answers on %s\n", prog, path);
		return 1;
	}
	if (foreground) {
		log = setup_log(&lo);
		if (lo.path && !log)
			return 1;
		ret = serve_logged(log, path, ready_fd, ready_fd < 0);
		if (ret && ready_fd < 0)
			fprintf(stderr, "%s: %s\n", prog, strerror(-ret));
		return ret ? 1 : 0;
	}

	/* Detach: the child becomes the host, the parent reports when it is ready. */
	if (pipe2(p, O_CLOEXEC)) {
		perror("pipe");
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		close(p[0]);
		setsid();
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		ret = serve_logged(setup_log(&lo), path, p[1], false);
		exit(ret ? 1 : 0);
	}
	if (await_host(pid, p))
		return 1;
	printf("%s\n", path);
	printf("pid %d\n", (int)pid);
	return 0;
}

/* ---- tyrc run ---- */

#ifndef TYRC_INSTALL_LIBDIR
#define TYRC_INSTALL_LIBDIR "/usr/local/lib"
#endif

/*
 * Absolute path of libtyrc_shim.so into @buf (PATH_MAX bytes): $TYRC_SHIM,
 * else ../shim/ (build tree) or ../lib/ next to this executable, else the
 * install libdir. Return: 0, or -ENOENT.
 */
static int find_shim(char *buf, size_t len)
{
	const char *env = getenv("TYRC_SHIM");
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	ssize_t n;
	char *slash;

	if (env && env[0]) {
		if (!realpath(env, buf))
			return -ENOENT;
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(cand, sizeof(cand), "%s/../shim/libtyrc_shim.so", exe);
			if (!access(cand, R_OK) && realpath(cand, buf))
				return 0;
			snprintf(cand, sizeof(cand), "%s/../lib/libtyrc_shim.so", exe);
			if (!access(cand, R_OK) && realpath(cand, buf))
				return 0;
		}
	}
	snprintf(cand, sizeof(cand), "%s/libtyrc_shim.so", TYRC_INSTALL_LIBDIR);
	if (!access(cand, R_OK) && strlen(cand) < len) {
		strcpy(buf, cand);
		return 0;
	}
	return -ENOENT;
}

/* Prepend @first (then a space) to the space/colon list in variable @name. */
static int env_prepend(const char *name, const char *first)
{
	const char *old = getenv(name);
	char *val;
	int ret;

	if (old && old[0]) {
		if (asprintf(&val, "%s %s", first, old) < 0)
			return -ENOMEM;
	} else {
		val = strdup(first);
		if (!val)
			return -ENOMEM;
	}
	ret = setenv(name, val, 1);
	free(val);
	return ret ? -errno : 0;
}

/*
 * Environment of the command: LD_PRELOAD = TYRC_PRELOAD_EXTRA, the shim,
 * then whatever was there; TYRC_SOCKET; and ASan told that its runtime may
 * come after the (uninstrumented) shim in the load order.
 */
static int setup_client_env(const char *shim, const char *socket_path)
{
	const char *extra = getenv("TYRC_PRELOAD_EXTRA");
	const char *asan = getenv("ASAN_OPTIONS");
	char *opts;
	int ret;

	ret = env_prepend("LD_PRELOAD", shim);
	if (!ret && extra && extra[0])
		ret = env_prepend("LD_PRELOAD", extra);
	if (!ret && setenv("TYRC_SOCKET", socket_path, 1))
		ret = -errno;
	if (ret)
		return ret;
	if (asprintf(&opts, "%s%sverify_asan_link_order=0", asan ? asan : "",
		     asan && asan[0] ? ":" : "") < 0)
		return -ENOMEM;
	ret = setenv("ASAN_OPTIONS", opts, 1) ? -errno : 0;
	free(opts);
	return ret;
}

static volatile sig_atomic_t child_pid;

/*
 * Pass on a termination signal sent to tyrc alone (kill). One the terminal
 * sent to the whole foreground group (si_code SI_KERNEL) reached the
 * command already.
 */
static void forward_signal(int sig, siginfo_t *info, void *uctx)
{
	if (child_pid > 0 && info->si_code != SI_KERNEL)
		kill(child_pid, sig);
}

/* Run @argv as a child; Return: its exit status in shell convention. */
static int run_child(char **argv)
{
	struct sigaction sa = { .sa_sigaction = forward_signal }, old[4];
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	int status, i;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		return EXIT_TYRC_FAILED;
	}
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_SIGINFO;
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &old[i]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = EXIT_TYRC_FAILED << 8;
			break;
		}
	}
	child_pid = 0;
	for (i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "private", no_argument, NULL, 'p' },
		{ "host-exe", required_argument, NULL, 'x' },
		{ "log", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct log_opts lo = { .default_level = TYRC_LOG_ERR };
	struct host_opts ho = { 0 };
	char path[108], shim[PATH_MAX];
	int c, status, ret;
	pid_t host;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (host_opt(c, &ho))
			continue;
		switch (c) {
		case 'l':
			lo.path = optarg;
			break;
		case 'v':
			lo.verbose = true;
			break;
		case 'h':
			usage_run(stdout);
			return 0;
		default:
			usage_run(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage_run(stderr);
		return 2;
	}
	if (find_shim(shim, sizeof(shim))) {
		fprintf(stderr, "%s: cannot find libtyrc_shim.so (set TYRC_SHIM)\n", prog);
		return EXIT_TYRC_FAILED;
	}
	if (acquire_host(&ho, &lo, path, sizeof(path), &host))
		return EXIT_TYRC_FAILED;
	ret = setup_client_env(shim, path);
	if (ret) {
		fprintf(stderr, "%s: environment: %s\n", prog, strerror(-ret));
		status = EXIT_TYRC_FAILED;
	} else {
		status = run_child(argv + optind);
	}
	if (host > 0 && stop_host(host) && !status)
		status = 1;
	return status;
}

/* ---- tyrc info ---- */

/* Ask the host at @path for its summary; Return: 0 or a negative errno. */
static int print_info(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct tyrc_wire_hdr req;
	struct tyrc_wire_text_reply *rep;
	ssize_t n;
	int fd, ret = 0;

	rep = malloc(TYRC_WIRE_MAX_MSG);
	if (!rep)
		return -ENOMEM;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		ret = -errno;
		goto out;
	}
	tyrc_wire_hdr_init(&req, TYRC_MSG_INFO, sizeof(req));
	if (send(fd, &req, sizeof(req), MSG_NOSIGNAL) != sizeof(req)) {
		ret = -EIO;
		goto out;
	}
	n = recv(fd, rep, TYRC_WIRE_MAX_MSG, 0);
	if (n < 0 || tyrc_wire_check(rep, (size_t)n, TYRC_MSG_TEXT_REPLY, sizeof(*rep)) ||
	    (size_t)n != sizeof(*rep) + rep->len) {
		ret = -EIO;
		goto out;
	}
	if (rep->err) {
		ret = rep->err;
		goto out;
	}
	fwrite(rep->text, 1, rep->len, stdout);
	fflush(stdout);
out:
	if (fd >= 0)
		close(fd);
	free(rep);
	return ret;
}

static int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "private", no_argument, NULL, 'p' },
		{ "host-exe", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct log_opts lo = { .default_level = TYRC_LOG_ERR };
	struct host_opts ho = { 0 };
	char path[108];
	int c, ret, status = 0;
	pid_t host;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (host_opt(c, &ho))
			continue;
		switch (c) {
		case 'h':
			usage_info(stdout);
			return 0;
		default:
			usage_info(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage_info(stderr);
		return 2;
	}
	if (acquire_host(&ho, &lo, path, sizeof(path), &host))
		return 1;
	ret = print_info(path);
	if (ret) {
		fprintf(stderr, "%s: info from %s: %s\n", prog, path, strerror(-ret));
		status = 1;
	}
	if (host > 0 && stop_host(host))
		status = 1;
	return status;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage_main(stderr);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage_main(stdout);
		return 0;
	}
	argv[1] = argv[0];
	optind = 1;
	if (!strcmp(cmd, "host"))
		return cmd_host(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
	usage_main(stderr);
	return 2;
}
