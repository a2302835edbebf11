/* Sign-off requests signed with an ssh key, as git signs with
 * gpg.format=ssh (ssh-keygen -Y, namespace "rewind-approval"), and
 * checked against an allowed signers file in git's format. */
#ifndef REWIND_CORE_SSHSIG_H
#define REWIND_CORE_SSHSIG_H

#include <stddef.h>

struct err;

/* Sign DATA with the ssh key at KEY (a private key, or a public one whose
 * private half the agent holds): *SIG the armored signature (caller
 * frees). 0, or -1 with ERR in ssh-keygen's words. */
int sshsig_sign(const char *key, const char *data, size_t len, char **sig,
		struct err *err);

/* Whether SIG is a good signature of DATA by a key ALLOWED (an allowed
 * signers file) lists: 0 with *PRINCIPAL the name it lists for the key
 * (caller frees), or -1 with ERR saying why not. */
int sshsig_verify(const char *allowed, const char *data, size_t len,
		  const char *sig, char **principal, struct err *err);

#endif
