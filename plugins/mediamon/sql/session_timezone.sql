-- Session time zone for TIMESTAMPTZ values and day arithmetic ($tz: IANA name, validated by the caller).
-- store.connect sets 'UTC'; store.report_data sets the report timezone.
SET TimeZone = $tz;
