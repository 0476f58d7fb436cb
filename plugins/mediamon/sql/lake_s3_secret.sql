-- Credentials of an S3-compatible data path (store/ducklake.py; keys from the environment).
CREATE OR REPLACE SECRET mediamon_s3 (TYPE s3, KEY_ID $key_id, SECRET $secret, ENDPOINT $endpoint,
                                      REGION $region, URL_STYLE $url_style, USE_SSL $use_ssl);
