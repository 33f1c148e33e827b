import './base.css';
import './runs.css';
import './parameters.css';
import './versions.css';
import './assistant.css';
import './language.css';
import './dependencies.css';
import './schedules.css';
