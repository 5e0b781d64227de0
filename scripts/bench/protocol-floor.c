// The floor of a prune's file work under msb 0.7.3+'s lease protocol, without any of the explorer's code: for each
// regular file of the folders given, create and flock (exclusive, not waiting) a lease file in the folder's
// `.msb-leases`, lstat the file, then either unlink it (mode 1), or rename it into a folder aside and unlink it
// there (mode 2); mode 0 only unlinks. One thread. Run on a copy of a bench cache, beside `msb image prune -y` on
// another copy (BENCHMARKS.md, "Prune: the protocol's floor"); it destroys the folders' contents:
//
//   cc -O2 -o protocol-floor scripts/bench/protocol-floor.c
//   D=COPY/cache; time ./protocol-floor 2 $D/layers $D/fsmeta $D/vmdk $D/manifests
//
// Lease files are named `<entry name>.lock` here rather than by the entry name's sha256: same length class, and
// the hash is not file work.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: protocol-floor MODE FOLDER...\n");
    return 2;
  }
  int mode = atoi(argv[1]);
  long n = 0;
  int aside = -1;
  if (mode == 2) {
    char path[4096];
    snprintf(path, sizeof path, "%s/../.aside", argv[2]);
    mkdir(path, 0700);
    aside = open(path, O_RDONLY | O_DIRECTORY);
  }
  for (int a = 2; a < argc; a++) {
    char leases[4096];
    snprintf(leases, sizeof leases, "%s/.msb-leases", argv[a]);
    mkdir(leases, 0700);
    int leaseDir = open(leases, O_RDONLY | O_DIRECTORY);
    DIR *d = opendir(argv[a]);
    if (!d || leaseDir < 0) return 1;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_type != DT_REG) continue;
      int fd = -1;
      if (mode >= 1) {
        char name[512];
        snprintf(name, sizeof name, "%s.lock", e->d_name);
        fd = openat(leaseDir, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        flock(fd, LOCK_EX | LOCK_NB);
      }
      struct stat st;
      fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW);
      if (mode == 2) {
        char to[64];
        snprintf(to, sizeof to, "%ld", n);
        renameat(dirfd(d), e->d_name, aside, to);
        unlinkat(aside, to, 0);
      } else {
        unlinkat(dirfd(d), e->d_name, 0);
      }
      if (fd >= 0) close(fd);
      n++;
    }
    closedir(d);
    close(leaseDir);
  }
  printf("%ld files\n", n);
  return 0;
}
