package dev.hookbus.notify;

/**
 * Where a notification's links point: the dashboard, and the ingest port (for the decide route), both as a phone
 * reaches them: {@code notify.dashboardUrl} / {@code notify.publicUrl}, or the local addresses when they are unset.
 */
record Links(String dashboardUrl, String publicUrl) {

  Links {
    dashboardUrl = withoutTrailingSlash(dashboardUrl);
    publicUrl = withoutTrailingSlash(publicUrl);
  }

  String dashboard() {
    return dashboardUrl + "/";
  }

  String decide(String approvalId) {
    return publicUrl + "/api/approvals/" + approvalId;
  }

  private static String withoutTrailingSlash(String url) {
    return url.replaceAll("/+$", "");
  }
}
