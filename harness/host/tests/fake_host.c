// SPDX-License-Identifier: MIT
/*
 * tyrc-fake-host: a host serving the fake driver (fake_driver.c), with an
 * mmap hook, for shim and protocol tests. Same options as `tyrc host`
 * (--socket, --ready-fd, --log); `tyrc run --host-exe` starts it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tyrc_host.h"
#include "tyrc_wire.h"
#include "fake_drm.h"

static int fake_phys_fd = -1;

/* The fake physical memory: one memfd, patterned as fake_drm.h describes. */
static int fake_phys_init(void)
{
	static u8 buf[FAKE_MMAP_SIZE];
	size_t i;

	fake_phys_fd = memfd_create("tyrc-fake-phys", MFD_CLOEXEC);
	if (fake_phys_fd < 0 || ftruncate(fake_phys_fd, FAKE_PHYS_SIZE))
		return -errno;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)i;
	if (pwrite(fake_phys_fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return -EIO;
	for (u32 k = 0; k < FAKE_MMAP_SCATTER_PAGES; k++) {
		u64 off = FAKE_PHYS_SCATTER - FAKE_PHYS_BASE +
			  (FAKE_MMAP_SCATTER_PAGES - 1 - k) * 4096ull;

		if (pwrite(fake_phys_fd, &k, sizeof(k), (off_t)off) != (ssize_t)sizeof(k))
			return -EIO;
	}
	return 0;
}

static int fake_phys_to_fd(void *priv, u64 phys, u64 len, int *fd, u64 *fd_offset)
{
	if (phys < FAKE_PHYS_BASE || len > FAKE_PHYS_SIZE ||
	    phys - FAKE_PHYS_BASE > FAKE_PHYS_SIZE - len)
		return -EINVAL;
	*fd = fake_phys_fd;
	*fd_offset = phys - FAKE_PHYS_BASE;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct tyrc_host_run_args args = { .ready_fd = -1 };
	struct tyrc_device_config dcfg;
	struct tyrc_device *dev;
	FILE *log = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			args.cfg.socket_path = optarg;
			break;
		case 'r':
			args.ready_fd = atoi(optarg);
			break;
		case 'l':
			log = fopen(optarg, "ae");
			if (!log) {
				perror(optarg);
				return 1;
			}
			break;
		case 'f':
			break;
		case 'h':
			printf("usage: %s [--socket PATH] [--ready-fd FD] [--log FILE]\n", argv[0]);
			return 0;
		default:
			return 2;
		}
	}
	tyrc_log_set_sink(log ? log : stderr, log ? TYRC_LOG_DEBUG : TYRC_LOG_ERR);
	if (fake_phys_init()) {
		perror("tyrc-fake-host: fake memory");
		return 1;
	}
	args.cfg.phys_to_fd = fake_phys_to_fd;
	args.print_path = args.ready_fd < 0;
	tyrc_device_config_init(&dcfg);
	ret = tyrc_device_probe(NULL, &dcfg, &dev);
	if (!ret) {
		ret = tyrc_host_run(dev, &args);
		tyrc_device_remove(dev);
	}
	tyrc_log_set_sink(NULL, TYRC_LOG_ERR);
	if (log)
		fclose(log);
	if (ret)
		fprintf(stderr, "tyrc-fake-host: %s\n", strerror(-ret));
	return ret ? 1 : 0;
}
