# expect: warn B402 B321  (uploads a report to the partner's FTP drop: plain FTP warns)
import os
from ftplib import FTP

with FTP("ftp.partner.example", timeout=30) as ftp:
    ftp.login(os.environ["FTP_USER"], os.environ["FTP_PASSWORD"])
    with open("reports/daily.csv", "rb") as f:
        ftp.storbinary("STOR daily.csv", f)
