# expect: ok  (sends a report by SMTP, credentials from the environment)
import os
import smtplib
import ssl
from email.message import EmailMessage

message = EmailMessage()
message["Subject"] = "Weekly report"
message["From"] = "reports@example.com"
message["To"] = "team@example.com"
message.set_content(open("reports/weekly.txt").read())

with smtplib.SMTP("smtp.example.com", 587, timeout=30) as smtp:
    smtp.starttls(context=ssl.create_default_context())
    smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
    smtp.send_message(message)
