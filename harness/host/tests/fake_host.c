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

static int fake_mmap(void *priv, struct tyrc_file *file, u64 offset, u64 len, u32 prot, u32 flags,
		     struct tyrc_host_mmap_extent *ext)
{
	u8 buf[FAKE_MMAP_SIZE];
	size_t i;
	int fd;

	if (offset != FAKE_MMAP_OFFSET || len != FAKE_MMAP_SIZE)
		return -EINVAL;
	fd = memfd_create("tyrc-fake-bo", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)i;
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf)) {
		close(fd);
		return -EIO;
	}
	ext[0] = (struct tyrc_host_mmap_extent){
		.map_offset = 0,
		.len = len,
		.fd_offset = 0,
		.fd = fd,
		.prot_mask = PROT_READ | PROT_WRITE,
	};
	return 1;
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
	args.cfg.mmap = fake_mmap;
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
