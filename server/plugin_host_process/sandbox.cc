#include "server/plugin_host_process/sandbox.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace reciproca::plugin_host {
namespace {

// Landlock ABI 1 rights: what every kernel with Landlock knows. Handling them all means every
// file-system access not granted below is denied.
constexpr uint64_t kReadRights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr uint64_t kExecRights = kReadRights | LANDLOCK_ACCESS_FS_EXECUTE;
constexpr uint64_t kAllRights =
    LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
    LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
    LANDLOCK_ACCESS_FS_MAKE_SYM;
// Rights that make sense on a regular file (the kernel refuses directory rights there).
constexpr uint64_t kFileExecRights = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE;

struct Grant {
  std::string path;
  uint64_t rights;
};

bool AddRule(int ruleset, const Grant& grant, std::string* why) {
  const int fd = open(grant.path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return true;  // e.g. no /lib64 on this machine: nothing to grant
    }
    *why = grant.path + ": " + std::strerror(errno);
    return false;
  }
  landlock_path_beneath_attr attr{};
  attr.allowed_access = grant.rights;
  attr.parent_fd = fd;
  const long added = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
  const int saved = errno;
  close(fd);
  if (added != 0) {
    *why = "landlock_add_rule " + grant.path + ": " + std::strerror(saved);
    return false;
  }
  return true;
}

// Returns the description of the ruleset in force, or of why there is none.
std::string RestrictFileSystem(const SandboxOptions& options) {
  const long abi =
      syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) {
    return std::string(
               "working directory, closed descriptors and limits only: Landlock is "
               "unavailable (") +
           std::strerror(errno) + ")";
  }
  landlock_ruleset_attr attr{};
  attr.handled_access_fs = kAllRights;
  const int ruleset =
      static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0));
  if (ruleset < 0) {
    return std::string("no Landlock ruleset: ") + std::strerror(errno);
  }
  const std::vector<Grant> grants = {
      // Shared libraries (merged /usr: /lib and /lib64 lead there), zone data, locales.
      {"/usr", kExecRights},
      {"/lib", kExecRights},
      {"/lib64", kExecRights},
      {"/opt", kExecRights},
      {"/etc/ld.so.cache", LANDLOCK_ACCESS_FS_READ_FILE},
      {"/etc/localtime", LANDLOCK_ACCESS_FS_READ_FILE},
      {"/dev/urandom", LANDLOCK_ACCESS_FS_READ_FILE},
      {"/dev/null", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE},
      {options.library_path, kFileExecRights},
      {options.working_dir, kAllRights},
  };
  std::string why;
  for (const auto& grant : grants) {
    if (!AddRule(ruleset, grant, &why)) {
      close(ruleset);
      return "no Landlock ruleset: " + why;
    }
  }
  const long restricted = syscall(SYS_landlock_restrict_self, ruleset, 0);
  const int saved = errno;
  close(ruleset);
  if (restricted != 0) {
    return std::string("no Landlock ruleset: landlock_restrict_self: ") + std::strerror(saved);
  }
  return "Landlock ABI " + std::to_string(abi) +
         " (read-only system libraries and the plugin's library; read-write working directory; "
         "nothing else), working directory, closed descriptors, limits";
}

bool SetLimit(int resource, rlim_t value, const char* name, std::string* why) {
  rlimit limit{value, value};
  if (setrlimit(resource, &limit) != 0) {
    *why = std::string("setrlimit(") + name + "): " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

bool EnterSandbox(const SandboxOptions& options, std::string* description) {
  if (chdir(options.working_dir.c_str()) != 0) {
    *description = "cannot enter " + options.working_dir + ": " + std::strerror(errno);
    return false;
  }
  if (!SetLimit(RLIMIT_CORE, 0, "RLIMIT_CORE", description) ||
      !SetLimit(RLIMIT_FSIZE, rlim_t{16} << 20, "RLIMIT_FSIZE", description)) {
    return false;
  }
  if (options.memory_bytes > 0 &&
      !SetLimit(RLIMIT_AS, options.memory_bytes, "RLIMIT_AS", description)) {
    return false;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    *description = std::string("prctl(PR_SET_NO_NEW_PRIVS): ") + std::strerror(errno);
    return false;
  }
  *description = options.landlock ? RestrictFileSystem(options)
                                  : "working directory, closed descriptors and limits only "
                                    "(Landlock turned off)";
  return true;
}

}  // namespace reciproca::plugin_host
