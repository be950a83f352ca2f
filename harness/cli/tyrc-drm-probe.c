// SPDX-License-Identifier: MIT
/*
 * tyrc-drm-probe - list DRM devices the way a libdrm client sees them.
 *
 * Uses only the system's libdrm: drmGetDevices2() for the device list (bus
 * type, nodes, platform name and compatible strings), then on each
 * device's primary node (else its render node) drmGetVersion(),
 * drmGetDevice2(), drmGetNodeTypeFromFd(), drmGetDeviceNameFromFd2() and
 * drmGetRenderDeviceNameFromFd(). Run it under `tyrc run` to see the tyrc
 * device. Exit status: 0 if at least one device was listed and every query
 * succeeded, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

static const char *bus_name(int bus)
{
	switch (bus) {
	case DRM_BUS_PCI:
		return "pci";
	case DRM_BUS_USB:
		return "usb";
	case DRM_BUS_PLATFORM:
		return "platform";
	case DRM_BUS_HOST1X:
		return "host1x";
	default:
		return "unknown";
	}
}

static const char *node_type_name(int type)
{
	switch (type) {
	case DRM_NODE_PRIMARY:
		return "primary";
	case DRM_NODE_CONTROL:
		return "control";
	case DRM_NODE_RENDER:
		return "render";
	default:
		return "unknown";
	}
}

static void print_device(int index, drmDevicePtr dev)
{
	int i;

	printf("device %d: bus %s\n", index, bus_name(dev->bustype));
	if (dev->bustype == DRM_BUS_PLATFORM) {
		printf("  fullname: %s\n", dev->businfo.platform->fullname);
		printf("  compatible:");
		for (i = 0; dev->deviceinfo.platform && dev->deviceinfo.platform->compatible &&
			    dev->deviceinfo.platform->compatible[i];
		     i++)
			printf(" %s", dev->deviceinfo.platform->compatible[i]);
		printf("\n");
	}
	for (i = 0; i < DRM_NODE_MAX; i++)
		if (dev->available_nodes & (1 << i))
			printf("  node %s: %s\n", node_type_name(i), dev->nodes[i]);
}

/* Open one node of @dev and query it. Return: 0 if every query worked. */
static int probe_node(drmDevicePtr dev)
{
	int type = (dev->available_nodes & (1 << DRM_NODE_PRIMARY)) ? DRM_NODE_PRIMARY :
								      DRM_NODE_RENDER;
	const char *node = dev->nodes[type];
	drmDevicePtr same = NULL;
	drmVersionPtr v;
	char *name;
	int fd, ret = 0;

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("%s: open failed: %s\n", node, strerror(errno));
		return 1;
	}
	v = drmGetVersion(fd);
	if (v) {
		printf("%s: driver %s %d.%d.%d, date \"%s\", desc \"%s\"\n", node, v->name,
		       v->version_major, v->version_minor, v->version_patchlevel, v->date, v->desc);
		drmFreeVersion(v);
	} else {
		printf("%s: drmGetVersion failed: %s\n", node, strerror(errno));
		ret = 1;
	}
	printf("  node type from fd: %s\n", node_type_name(drmGetNodeTypeFromFd(fd)));
	name = drmGetDeviceNameFromFd2(fd);
	printf("  device name from fd: %s\n", name ? name : "(none)");
	ret |= !name;
	free(name);
	name = drmGetRenderDeviceNameFromFd(fd);
	printf("  render node from fd: %s\n", name ? name : "(none)");
	free(name);
	if (drmGetDevice2(fd, 0, &same)) {
		printf("  drmGetDevice2 failed\n");
		ret = 1;
	} else {
		printf("  drmGetDevice2: same device: %s\n",
		       drmDevicesEqual(dev, same) ? "yes" : "no");
		ret |= !drmDevicesEqual(dev, same);
		drmFreeDevice(&same);
	}
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	drmDevicePtr *devs;
	int n, i, ret = 0;

	if (argc > 1) {
		printf("usage: %s\n\nList DRM devices through libdrm (drmGetDevices2, "
		       "drmGetVersion, ...).\n",
		       argv[0]);
		return strcmp(argv[1], "--help") ? 2 : 0;
	}
	n = drmGetDevices2(0, NULL, 0);
	if (n <= 0) {
		printf("no DRM devices (%s)\n", n < 0 ? strerror(-n) : "none found");
		return 1;
	}
	devs = calloc((size_t)n, sizeof(*devs));
	if (!devs)
		return 1;
	n = drmGetDevices2(0, devs, n);
	printf("%d DRM device(s)\n", n);
	for (i = 0; i < n; i++) {
		print_device(i, devs[i]);
		ret |= probe_node(devs[i]);
	}
	drmFreeDevices(devs, n);
	free(devs);
	return ret;
}
