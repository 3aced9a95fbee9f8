/* Baseline for benchmarks/run.sh: for every DTB in a list file, read it, run libfdt's fdt_check_full and walk
 * every node and property (fdt_next_node + fdt_for_each_property_offset + fdt_getprop_by_offset), in one process.
 * Usage: libfdt_walk LIST */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: libfdt_walk LIST\n"); return 2; }
    FILE *list = fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return 2; }
    char path[4096];
    long files = 0, nodes = 0, props = 0, bytes = 0, failures = 0;
    unsigned long checksum = 0;
    double t0 = now();
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = 0;
        if (!*path) continue;
        FILE *f = fopen(path, "rb");
        if (!f) { perror(path); failures++; continue; }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        void *buf = malloc(size);
        if (!buf || fread(buf, 1, size, f) != (size_t)size) { fclose(f); free(buf); failures++; continue; }
        fclose(f);
        files++;
        bytes += size;
        if (fdt_check_full(buf, size) != 0) { fprintf(stderr, "%s: invalid\n", path); failures++; free(buf); continue; }
        int depth = 0;
        for (int node = 0; node >= 0 && depth >= 0; node = fdt_next_node(buf, node, &depth)) {
            int len;
            nodes++;
            const char *name = fdt_get_name(buf, node, &len);
            if (name) checksum += len;
            int prop;
            fdt_for_each_property_offset(prop, buf, node) {
                const char *pname;
                const void *val = fdt_getprop_by_offset(buf, prop, &pname, &len);
                if (val) checksum += len + (unsigned char)pname[0];
                props++;
            }
        }
        free(buf);
    }
    double t = now() - t0;
    printf("files=%ld bytes=%ld nodes=%ld properties=%ld failures=%ld checksum=%lu seconds=%.4f\n",
           files, bytes, nodes, props, failures, checksum, t);
    return failures ? 1 : 0;
}
