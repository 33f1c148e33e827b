import './base.css';
import './runs.css';
import './versions.css';
import './assistant.css';
