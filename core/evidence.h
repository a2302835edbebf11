/* The files a session wrote beside its journal whose content the journal
 * vouches for: each delivered message's file must still hold the text
 * message.queued journalled (its sha256). rewind verify checks them after
 * the chain. */
#ifndef REWIND_CORE_EVIDENCE_H
#define REWIND_CORE_EVIDENCE_H

struct err;

struct evidence {
	unsigned checked;	/* files that match their journalled hash */
	unsigned outside;	/* delivered outside the session folder: not
				 * checked (a repository's folder, a hook) */
	unsigned n_bad;		/* files changed or missing */
	char bad[512];		/* the first of them, and why */
};

/* Check the message files of the session in DIR against the journal.
 * Returns 0 (OUT->n_bad says whether any differ), or -1 with ERR when
 * the journal cannot be read. */
int evidence_check(const char *dir, struct evidence *out, struct err *err);

#endif
