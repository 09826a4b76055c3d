package id.go.pdn.hub.mail;

/**
 * The payload of one work item: a UID range of one source folder of one account, under the UIDVALIDITY seen when it
 * was planned, and where it goes.
 *
 * @param folder the source folder's full name (server's separator)
 * @param targetFolder the target folder's full name (server's separator)
 * @param messages how many messages the range holds (at the last listing)
 * @param flagsDigest digest of the range's UIDs with each message's flags and keywords at the last listing: a flag
 *        changed or a message expunged at the source changes the payload, and the core copies the range again
 */
public record MailItem(String sourceUser, String targetUser, String folder, String targetFolder, long uidValidity,
                       long uidFrom, long uidTo, int messages, String flagsDigest) {

    /** The same range with what its messages are now. */
    MailItem with(int messagesNow, String flagsDigestNow) {
        return new MailItem(sourceUser, targetUser, folder, targetFolder, uidValidity, uidFrom, uidTo, messagesNow, flagsDigestNow);
    }

    /** {@code alice INBOX uid [1, 500] uidvalidity 1700000000}: readable and unique within the migration. */
    String key(String logicalFolder) {
        return sourceUser + " " + logicalFolder + " uid [" + uidFrom + ", " + uidTo + "] uidvalidity " + uidValidity;
    }
}
