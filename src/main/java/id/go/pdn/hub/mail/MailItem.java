package id.go.pdn.hub.mail;

/**
 * The payload of one work item: a UID range of one source folder of one account, under the UIDVALIDITY seen when it
 * was planned, and where it goes.
 *
 * @param folder the source folder's full name (server's separator)
 * @param targetFolder the target folder's full name (server's separator)
 * @param messages how many messages the range held when planned
 */
public record MailItem(String sourceUser, String targetUser, String folder, String targetFolder, long uidValidity,
                       long uidFrom, long uidTo, int messages) {

    /** {@code alice INBOX uid [1, 500] uidvalidity 1700000000}: readable and unique within the migration. */
    String key(String logicalFolder) {
        return sourceUser + " " + logicalFolder + " uid [" + uidFrom + ", " + uidTo + "] uidvalidity " + uidValidity;
    }
}
