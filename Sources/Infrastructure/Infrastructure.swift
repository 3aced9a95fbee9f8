/// The one infrastructure layer every other module uses: running processes, checked number and size parsing,
/// SHA-256, per-architecture facts (issue 10) and output placement (issue 11). It knows nothing of device trees or Xen.
public enum Infrastructure {}
